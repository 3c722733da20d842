// Image decoding through the system's libpng (simplified API) and libjpeg-turbo, as static
// functions so the system-library module needs no compiled sources. libjpeg reports errors
// by longjmp, which Swift cannot catch: the jump stays inside edge_jpeg_decode.
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

/// Largest image decoded, in pixels: bigger headers are refused before any allocation.
#define EDGE_IMAGE_MAX_PIXELS (64L * 1024 * 1024)

struct edge_jpeg_error {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

static void edge_jpeg_exit(j_common_ptr c) {
    struct edge_jpeg_error *e = (struct edge_jpeg_error *)c->err;
    (*c->err->format_message)(c, e->message);
    longjmp(e->jump, 1);
}

static void edge_jpeg_silence(j_common_ptr c) { (void)c; }

/// Decodes JPEG bytes to interleaved RGB8 (malloc'ed; the caller frees), or returns NULL
/// with a message.
static inline unsigned char *edge_jpeg_decode(const unsigned char *data, unsigned long size,
                                              int *width, int *height, char *message, int messageSize) {
    struct jpeg_decompress_struct cinfo;
    struct edge_jpeg_error err;
    unsigned char *volatile pixels = NULL;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = edge_jpeg_exit;
    err.pub.output_message = edge_jpeg_silence;
    err.message[0] = 0;
    if (setjmp(err.jump)) {
        snprintf(message, messageSize, "%s", err.message);
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return NULL;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, size);
    jpeg_read_header(&cinfo, TRUE);
    if ((long)cinfo.image_width * (long)cinfo.image_height > EDGE_IMAGE_MAX_PIXELS) {
        snprintf(message, messageSize, "%ux%u pixels is larger than edgetop decodes", cinfo.image_width, cinfo.image_height);
        jpeg_destroy_decompress(&cinfo);
        return NULL;
    }
    cinfo.out_color_space = JCS_RGB;
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)cinfo.output_width * 3;
    pixels = (unsigned char *)malloc(stride * cinfo.output_height);
    if (!pixels) {
        snprintf(message, messageSize, "out of memory");
        jpeg_destroy_decompress(&cinfo);
        return NULL;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    *width = (int)cinfo.output_width;
    *height = (int)cinfo.output_height;
    jpeg_destroy_decompress(&cinfo);
    return pixels;
}

/// Decodes PNG bytes to interleaved RGB8 (alpha composited on black, grey expanded;
/// malloc'ed, the caller frees), or returns NULL with a message.
static inline unsigned char *edge_png_decode(const unsigned char *data, unsigned long size,
                                             int *width, int *height, char *message, int messageSize) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, data, size)) {
        snprintf(message, messageSize, "%s", image.message);
        return NULL;
    }
    if ((long)image.width * (long)image.height > EDGE_IMAGE_MAX_PIXELS) {
        snprintf(message, messageSize, "%ux%u pixels is larger than edgetop decodes", image.width, image.height);
        png_image_free(&image);
        return NULL;
    }
    image.format = PNG_FORMAT_RGB;
    unsigned char *pixels = (unsigned char *)malloc(PNG_IMAGE_SIZE(image));
    if (!pixels) {
        snprintf(message, messageSize, "out of memory");
        png_image_free(&image);
        return NULL;
    }
    if (!png_image_finish_read(&image, NULL, pixels, 0, NULL)) {
        snprintf(message, messageSize, "%s", image.message);
        free(pixels);
        return NULL;
    }
    *width = (int)image.width;
    *height = (int)image.height;
    return pixels;
}
