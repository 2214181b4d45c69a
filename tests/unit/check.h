/* a tiny assertion helper for the host unit tests: count checks, report failures. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int check_count, check_failures;

#define CHECK(cond) do {						\
	check_count++;							\
	if (!(cond)) {							\
		check_failures++;					\
		fprintf(stderr, "%s:%d: CHECK failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	unsigned long long check_a_ = (unsigned long long)(a);		\
	unsigned long long check_b_ = (unsigned long long)(b);		\
	check_count++;							\
	if (check_a_ != check_b_) {					\
		check_failures++;					\
		fprintf(stderr, "%s:%d: %s == %s: 0x%llx != 0x%llx\n",	\
			__FILE__, __LINE__, #a, #b, check_a_, check_b_); \
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *check_sa_ = (a), *check_sb_ = (b);			\
	check_count++;							\
	if (strcmp(check_sa_, check_sb_)) {				\
		check_failures++;					\
		fprintf(stderr, "%s:%d: %s:\n  got  \"%s\"\n  want \"%s\"\n", \
			__FILE__, __LINE__, #a, check_sa_, check_sb_);	\
	}								\
} while (0)

/* print the tally; the return value is the process exit status */
static inline int check_done(const char *name)
{
	printf("%s: %d checks, %d failures\n", name, check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
