/* main.c's banner: the build's version (the Makefile writes the real one) */
#define HYP_VERSION "host"
