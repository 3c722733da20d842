#ifndef EDGETOP_CNCURSES_SHIM_H
#define EDGETOP_CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/ncurses.h>
#include <locale.h>
#endif
