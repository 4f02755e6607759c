/*
 * inputs.h
 *	  The fuzz client's inputs (inputs.c): random and mutated text and binary values, and the
 *	  few helpers both halves of the client use.  fuzz.c runs and judges them.
 *
 * Input I of a mode depends only on the seed, the mode, I and the corpus: the generator
 * (splitmix64) is seeded per input, so one input can be rebuilt alone (--only I).
 */
#ifndef FUZZ_INPUTS_H
#define FUZZ_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Inputs stay far below 1 MB: any out of memory is a failure. */
#define MAX_INPUT		(64 * 1024)

/* What inputs are made of: from the type file, and the valid values of the sample warehouse. */
typedef struct Corpus
{
	const char *alphabet;		/* characters of random text */
	int			ntokens;		/* words put into literals */
	char	   *const *tokens;
	int			nliterals;		/* valid values: text and send bytes */
	char	  **text;
	char	  **bin;
	int		   *bin_len;
} Corpus;

/* A growable byte string, always NUL-terminated. */
typedef struct Buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Buf;

/* Input `index` of a mode: random a quarter of the time, else a mutated valid value. */
extern void make_input(const Corpus *corpus, uint64_t seed, bool binary, uint64_t index, Buf *b);

/* Helpers: a message on stdout as a TAP "Bail out!" and exit 2; allocation that never fails. */
extern void die(const char *fmt,...) __attribute__((format(printf, 1, 2), noreturn));
extern void *xmalloc(size_t n);
extern char *xstrdup(const char *s);
extern void buf_set(Buf *b, const char *data, size_t len);
extern void buf_splice(Buf *b, size_t at, size_t del, const char *data, size_t len);

#endif							/* FUZZ_INPUTS_H */
