/* printf-style formatting into a buffer; the console and logs build on it. */
#include "fmt.h"

struct out {
	char *buf;
	size_t len, pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_num(struct out *o, u64 v, u32 base, bool neg, bool upper, int width, char pad,
		    bool left, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = prefix ? (int)__builtin_strlen(prefix) : 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	width -= n + neg + plen;
	if (!left && pad == ' ')
		while (width-- > 0)
			put(o, ' ');
	if (neg)
		put(o, '-');
	while (plen && *prefix)
		put(o, *prefix++);
	if (!left && pad == '0')
		while (width-- > 0)
			put(o, '0');
	while (n)
		put(o, tmp[--n]);
	while (left && width-- > 0)
		put(o, ' ');
}

int fmt_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct out o = {buf, len, 0};

	for (; *fmt; fmt++) {
		bool left = false, alt = false;
		char pad = ' ';
		int width = 0, lng = 0, prec = -1;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				pad = '0';
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			prec = 0;
			if (*++fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				prec = prec * 10 + (*fmt++ - '0');
		}
		while (*fmt == 'l' || *fmt == 'z')
			lng += *fmt++ == 'l' ? 1 : 0;
		switch (*fmt) {
		case 'd': {
			s64 v = lng >= 2 ? va_arg(ap, s64) : va_arg(ap, s32);

			put_num(&o, v < 0 ? -(u64)v : (u64)v, 10, v < 0, false, width, pad, left,
				NULL);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			u64 v = lng >= 2 ? va_arg(ap, u64) : va_arg(ap, u32);

			put_num(&o, v, *fmt == 'u' ? 10 : 16, false, *fmt == 'X', width, pad, left,
				alt && *fmt != 'u' ? "0x" : NULL);
			break;
		}
		case 'p':
			put_num(&o, (uintptr_t)va_arg(ap, void *), 16, false, false, width, pad,
				left, "0x");
			break;
		case 'c': put(&o, (char)va_arg(ap, int)); break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;

			if (!s)
				s = "(null)";
			while (s[n] && (prec < 0 || n < prec))
				n++;
			while (!left && width-- > n)
				put(&o, ' ');
			for (int i = 0; i < n; i++)
				put(&o, s[i]);
			while (left && width-- > n)
				put(&o, ' ');
			break;
		}
		case '%': put(&o, '%'); break;
		default:
			put(&o, '%');
			if (*fmt)
				put(&o, *fmt);
			else
				fmt--;
		}
	}
	if (len)
		buf[o.pos < len ? o.pos : len - 1] = '\0';
	return (int)o.pos;
}

int fmt_snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}
