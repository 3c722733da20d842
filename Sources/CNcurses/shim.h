#ifndef EDGETOP_CNCURSES_SHIM_H
#define EDGETOP_CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/ncurses.h>
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

/* ncurses exposes much of its API as macros, which Swift cannot import; these wrappers
 * give Swift plain functions and constants instead. */

static inline attr_t edgetop_a_normal(void) { return A_NORMAL; }
static inline attr_t edgetop_a_bold(void) { return A_BOLD; }
static inline attr_t edgetop_a_dim(void) { return A_DIM; }
static inline attr_t edgetop_a_reverse(void) { return A_REVERSE; }
static inline attr_t edgetop_a_underline(void) { return A_UNDERLINE; }
static inline chtype edgetop_color_pair(int n) { return COLOR_PAIR(n); }

static inline int edgetop_colors(void) { return COLORS; }
static inline int edgetop_color_pairs(void) { return COLOR_PAIRS; }
static inline WINDOW *edgetop_stdscr(void) { return stdscr; }
static inline int edgetop_max_y(void) { return getmaxy(stdscr); }
static inline int edgetop_max_x(void) { return getmaxx(stdscr); }

static inline int edgetop_err(void) { return ERR; }
static inline int edgetop_ok(void) { return OK; }
static inline int edgetop_key_code_yes(void) { return KEY_CODE_YES; }
static inline int edgetop_key_up(void) { return KEY_UP; }
static inline int edgetop_key_down(void) { return KEY_DOWN; }
static inline int edgetop_key_left(void) { return KEY_LEFT; }
static inline int edgetop_key_right(void) { return KEY_RIGHT; }
static inline int edgetop_key_home(void) { return KEY_HOME; }
static inline int edgetop_key_end(void) { return KEY_END; }
static inline int edgetop_key_ppage(void) { return KEY_PPAGE; }
static inline int edgetop_key_npage(void) { return KEY_NPAGE; }
static inline int edgetop_key_backspace(void) { return KEY_BACKSPACE; }
static inline int edgetop_key_enter(void) { return KEY_ENTER; }
static inline int edgetop_key_btab(void) { return KEY_BTAB; }
static inline int edgetop_key_resize(void) { return KEY_RESIZE; }
static inline int edgetop_key_f0(void) { return KEY_F0; }

/* Reads one key or character, waiting at most `ms` milliseconds (-1: forever). Returns
 * ERR on timeout, KEY_CODE_YES with a function-key code, or OK with a character. */
static inline int edgetop_get_wch(int ms, unsigned int *out) {
    wint_t w = 0;
    wtimeout(stdscr, ms);
    int rc = wget_wch(stdscr, &w);
    *out = (unsigned int)w;
    return rc;
}

/* Writes one cell: the grapheme's scalars (at most CCHARW_MAX), attributes and an
 * extended colour pair (pairs above 32767 need the `opts` pointer). */
static inline int edgetop_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t c;
    memset(&c, 0, sizeof c);
    if (setcchar(&c, wch, attrs, (short)(pair < 32767 ? pair : 0), &pair) == ERR) return ERR;
    /* Writing the bottom-right cell moves the cursor past the end and reports ERR, though
     * the cell is drawn; that is not a failure. */
    mvwadd_wch(stdscr, y, x, &c);
    return OK;
}

/* ---- Terminal restoration on every exit path ----
 * State kept in C so the signal handlers touch nothing but async-signal-safe calls:
 * the termios saved at start-up and the bytes that leave the alternate screen, show the
 * cursor and reset attributes (captured from terminfo while it is safe to do so). */
struct edgetop_restore_state {
    struct termios saved_termios;
    int saved_termios_valid;
    int tty_fd;
    char reset_seq[512];
    size_t reset_len;
    volatile sig_atomic_t stop_signal;
    volatile sig_atomic_t screen_active;
};

/* One instance, kept as a function-local static because Swift's importer emits the
 * functions of a header but not its file-scope variables. */
static inline struct edgetop_restore_state *edgetop_state(void) {
    static struct edgetop_restore_state state = { .tty_fd = -1 };
    return &state;
}

/* Saves the terminal modes of `fd`; called before ncurses changes them. */
static inline int edgetop_save_termios(int fd) {
    struct edgetop_restore_state *st = edgetop_state();
    st->tty_fd = fd;
    st->saved_termios_valid = tcgetattr(fd, &st->saved_termios) == 0;
    return st->saved_termios_valid;
}

/* Appends a terminfo string to the emergency reset sequence. */
static inline void edgetop_add_reset_cap(const char *cap) {
    struct edgetop_restore_state *st = edgetop_state();
    char *s = tigetstr((char *)cap);
    if (s == NULL || s == (char *)-1) return;
    size_t n = strlen(s);
    if (st->reset_len + n >= sizeof st->reset_seq) return;
    memcpy(st->reset_seq + st->reset_len, s, n);
    st->reset_len += n;
}

/* Captures what an emergency restore writes; call after the screen is set up. */
static inline void edgetop_capture_reset(void) {
    edgetop_state()->reset_len = 0;
    edgetop_add_reset_cap("sgr0");
    edgetop_add_reset_cap("cnorm");
    edgetop_add_reset_cap("rmkx");
    edgetop_add_reset_cap("rmcup");
    edgetop_state()->screen_active = 1;
}

/* Async-signal-safe restore: terminal modes back, cursor visible, main screen back. */
static inline void edgetop_emergency_restore(void) {
    struct edgetop_restore_state *st = edgetop_state();
    if (!st->screen_active) return;
    st->screen_active = 0;
    if (st->tty_fd >= 0 && st->reset_len > 0) {
        ssize_t unused = write(st->tty_fd, st->reset_seq, st->reset_len);
        (void)unused;
    }
    if (st->saved_termios_valid) tcsetattr(st->tty_fd, TCSAFLUSH, &st->saved_termios);
}

/* The normal restore: ncurses' own endwin, then the saved modes as a backstop. */
static inline void edgetop_normal_restore(void) {
    struct edgetop_restore_state *st = edgetop_state();
    if (!st->screen_active) return;
    st->screen_active = 0;
    if (!isendwin()) endwin();
    if (st->saved_termios_valid) tcsetattr(st->tty_fd, TCSAFLUSH, &st->saved_termios);
}

/* SIGINT/SIGTERM/SIGHUP/SIGQUIT: the first one asks the main loop to stop (so a recording is
 * closed properly); a second one, or one while the loop is not listening, restores at
 * once and dies with the signal. */
static inline void edgetop_stop_handler(int sig) {
    if (edgetop_state()->stop_signal != 0) {
        edgetop_emergency_restore();
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    edgetop_state()->stop_signal = sig;
}

/* Crashes (Swift runtime traps are SIGILL/SIGTRAP): restore, then die as before. */
static inline void edgetop_crash_handler(int sig) {
    edgetop_emergency_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void edgetop_atexit_restore(void) { edgetop_normal_restore(); }

/* Installs the handlers before initscr, so ncurses keeps them instead of its own. */
static inline void edgetop_install_handlers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = edgetop_stop_handler;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* Swift's crash reporter takes SIGQUIT by default: it would draw over the screen, wait
     * for a key and leave the terminal raw. Ctrl-\ ends edgetop like SIGTERM instead. */
    sigaction(SIGQUIT, &sa, NULL);
    sa.sa_handler = edgetop_crash_handler;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    static int registered = 0;
    if (!registered) { registered = 1; atexit(edgetop_atexit_restore); }
}

/* The signal that asked the loop to stop, or 0. */
static inline int edgetop_pending_stop_signal(void) { return edgetop_state()->stop_signal; }

/* Columns a wide character takes (-1 for non-printable); wcwidth is hidden unless
 * _XOPEN_SOURCE is set before the C library headers, which a module map cannot promise. */
extern int wcwidth(wchar_t c);
static inline int edgetop_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

/* Whether the locale's character set is UTF-8 (after setlocale(LC_ALL, "")). */
static inline int edgetop_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

#endif
