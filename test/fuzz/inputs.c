/*
 * inputs.c
 *	  What the fuzz client sends (see inputs.h): random text over a type's alphabet, random bytes,
 *	  and mutations of valid values' text and send bytes.  Knows nothing of any type: a type's
 *	  alphabet, tokens and valid values come from its file, test/fuzz/types/<type>.conf.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputs.h"

/* ---------------------------------------------------------------------------------------------
 * Small helpers
 * ---------------------------------------------------------------------------------------------
 */

void
die(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	fputs("Bail out! fuzz: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	exit(2);
}

void *
xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

char *
xstrdup(const char *s)
{
	return strcpy(xmalloc(strlen(s) + 1), s);
}

static void
buf_reserve(Buf *b, size_t len)
{
	if (len + 1 <= b->cap)
		return;
	b->cap = (len + 1) * 2;
	b->data = realloc(b->data, b->cap);
	if (b->data == NULL)
		die("out of memory");
}

void
buf_set(Buf *b, const char *data, size_t len)
{
	buf_reserve(b, len);
	memcpy(b->data, data, len);
	b->len = len;
	b->data[len] = '\0';
}

/* Replaces [at, at + del) by len bytes of data (data may point into b). */
void
buf_splice(Buf *b, size_t at, size_t del, const char *data, size_t len)
{
	char	   *copy = xmalloc(len);

	memcpy(copy, data, len);
	if (at > b->len)
		at = b->len;
	if (del > b->len - at)
		del = b->len - at;
	buf_reserve(b, b->len - del + len);
	memmove(b->data + at + len, b->data + at + del, b->len - at - del);
	memcpy(b->data + at, copy, len);
	b->len = b->len - del + len;
	b->data[b->len] = '\0';
	free(copy);
}

/* ---------------------------------------------------------------------------------------------
 * The generator: splitmix64, one stream per input, so that input I can be rebuilt alone
 * ---------------------------------------------------------------------------------------------
 */

typedef struct Rng
{
	uint64_t	state;
} Rng;

static uint64_t
rng_next(Rng *r)
{
	uint64_t	z = (r->state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t
rng_below(Rng *r, uint64_t n)
{
	return n == 0 ? 0 : rng_next(r) % n;
}

/* Mostly small numbers, sometimes large: lengths and repeat counts. */
static size_t
rng_size(Rng *r, size_t small, size_t large)
{
	return rng_below(r, 8) == 0 ? rng_below(r, large + 1) : rng_below(r, small + 1);
}

static Rng
rng_for_input(uint64_t seed, bool binary, uint64_t index)
{
	Rng			r = {seed ^ (UINT64_C(0xa0761d6478bd642f) * (uint64_t) (binary + 1))};

	rng_next(&r);
	r.state ^= index * UINT64_C(0xe7037ed1a0b428db);
	rng_next(&r);
	return r;
}

/* ---------------------------------------------------------------------------------------------
 * Building inputs
 * ---------------------------------------------------------------------------------------------
 */

static const char *const special_numbers[] = {
	"0", "-0", "1", "-1", "0.1", "-0.0", "00", "1.", ".5", "+1", "1e308", "1.7976931348623157e308",
	"1.7976931348623159e308", "-1.7976931348623157e308", "1e309", "1e-308", "5e-324", "4.9e-324",
	"2.2250738585072014e-308", "1e-400", "-1e-400", "NaN", "nan", "-NaN", "Infinity", "-Infinity",
	"inf", "-inf", "+Infinity", "infinity", "2147483647", "2147483648", "-2147483648",
	"-2147483649", "4294967296", "9223372036854775807", "9223372036854775808",
	"-9223372036854775808", "18446744073709551616", "99999999999999999999999999", "1e", "e5",
	"1e+", ".", "-", "+", "--1", "1..2", "1e1e1", "0x10", "1_000", "1,5", "1 5", " 7 ", "",
	"294276", "294277", "4713", "4714", "5874897", "10000", "99999", "0000000000000000000001",
	"23", "24", "25", "59", "60", "61", "12", "13", "31", "32", "29", "30", "00",
};

static const uint32_t special_int32[] = {
	0, 1, 2, 3, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff,
	0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x3fffffff, 0x40000000, 0x0fffffff,
	0x10000000, 0x02aaaaa9, 0x02aaaaaa, 0x02aaaaab, 0x04000000, 0x0aaaaaaa, 1000, 1000000,
};

static const uint64_t special_word[] = {
	0, 1, UINT64_C(0xffffffffffffffff), UINT64_C(0x7fffffffffffffff),
	UINT64_C(0x8000000000000000), UINT64_C(0x8000000000000001),
	/* timestamps (microseconds from 2000): the ends of PostgreSQL's range, and just outside */
	(uint64_t) INT64_C(-211813488000000000), (uint64_t) INT64_C(-211813488000000001),
	UINT64_C(9223371331200000000) - 1, UINT64_C(9223371331200000000),
	/* float8: NaNs, infinities, signed zero, extremes, subnormals */
	UINT64_C(0x7ff8000000000000), UINT64_C(0xfff8000000000000), UINT64_C(0x7ff0000000000001),
	UINT64_C(0x7ff0000000000000), UINT64_C(0xfff0000000000000), UINT64_C(0x7fefffffffffffff),
	UINT64_C(0xffefffffffffffff), UINT64_C(0x0010000000000000), UINT64_C(0x000fffffffffffff),
	UINT64_C(0x0000000000000001), UINT64_C(0x3ff0000000000000), UINT64_C(0xbff0000000000000),
	UINT64_C(0x3fb999999999999a), UINT64_C(0x4059000000000000),
};

static const char *
pick_token(Rng *r, const Corpus *c)
{
	if (c->ntokens > 0 && rng_below(r, 2) == 0)
		return c->tokens[rng_below(r, c->ntokens)];
	return special_numbers[rng_below(r, sizeof(special_numbers) / sizeof(special_numbers[0]))];
}

/* Spans [start, end) of b that match the class: digits, or number-like runs, or fields. */
typedef enum SpanKind
{
	SPAN_DIGITS,				/* [0-9]+ */
	SPAN_NUMBER,				/* a run of [0-9.eE+-] with a digit in it */
	SPAN_FIELD,					/* what lies between two of , ( ) { } [ ] */
	SPAN_GROUP					/* ( ... ) with no parenthesis inside */
} SpanKind;

static bool
in_span(SpanKind kind, char c)
{
	switch (kind)
	{
		case SPAN_DIGITS:
			return isdigit((unsigned char) c);
		case SPAN_NUMBER:
			return isdigit((unsigned char) c) || strchr(".eE+-", c) != NULL;
		default:
			return strchr(",(){}[]", c) == NULL;
	}
}

/* Picks a random span of that kind; false when there is none. */
static bool
pick_span(Rng *r, const Buf *b, SpanKind kind, size_t *start, size_t *end)
{
	size_t		count = 0,
				want = 0,
				i;

	for (int pass = 0; pass < 2; pass++)
	{
		size_t		seen = 0;

		if (pass == 1)
		{
			if (count == 0)
				return false;
			want = rng_below(r, count);
		}
		for (i = 0; i < b->len;)
		{
			size_t		s = i,
						e;

			if (kind == SPAN_GROUP)
			{
				if (b->data[i] != '(')
				{
					i++;
					continue;
				}
				e = i + 1;
				while (e < b->len && b->data[e] != ')' && b->data[e] != '(')
					e++;
				if (e == b->len || b->data[e] != ')')
				{
					i = e;
					continue;
				}
				e++;
			}
			else
			{
				if (!in_span(kind, b->data[i]))
				{
					i++;
					continue;
				}
				e = i;
				while (e < b->len && in_span(kind, b->data[e]))
					e++;
				if (kind == SPAN_NUMBER && strcspn(b->data + s, "0123456789") >= e - s)
				{
					i = e;
					continue;
				}
			}
			if (pass == 1 && seen == want)
			{
				*start = s;
				*end = e;
				return true;
			}
			seen++;
			i = e;
		}
		count = seen;
	}
	return false;
}

static void
random_text(Rng *r, Buf *b, const char *alphabet)
{
	size_t		len = rng_size(r, 40, 400);
	size_t		n = strlen(alphabet);

	b->len = 0;
	buf_reserve(b, len);
	for (size_t i = 0; i < len; i++)
		b->data[b->len++] = alphabet[rng_below(r, n)];
	b->data[b->len] = '\0';
}

static void
swap_spans(Buf *b, size_t s1, size_t e1, size_t s2, size_t e2)
{
	char	   *first,
			   *second;

	if (s1 > s2)
	{
		size_t		t;

		t = s1, s1 = s2, s2 = t;
		t = e1, e1 = e2, e2 = t;
	}
	if (e1 > s2)
		return;					/* overlapping */
	first = xmalloc(e1 - s1);
	second = xmalloc(e2 - s2);
	memcpy(first, b->data + s1, e1 - s1);
	memcpy(second, b->data + s2, e2 - s2);
	buf_splice(b, s2, e2 - s2, first, e1 - s1);
	buf_splice(b, s1, e1 - s1, second, e2 - s2);
	free(first);
	free(second);
}

static void
mutate_text(Rng *r, Buf *b, const Corpus *c)
{
	size_t		n = strlen(c->alphabet);
	size_t		pos = rng_below(r, b->len + 1);
	size_t		s,
				e,
				s2,
				e2;
	char		ch;
	char		number[64];

	switch (rng_below(r, 14))
	{
		case 0:					/* delete characters */
			buf_splice(b, pos, 1 + rng_size(r, 3, 40), "", 0);
			break;
		case 1:					/* insert characters of the alphabet */
			for (size_t k = 1 + rng_size(r, 2, 20); k > 0; k--)
			{
				ch = c->alphabet[rng_below(r, n)];
				buf_splice(b, rng_below(r, b->len + 1), 0, &ch, 1);
			}
			break;
		case 2:					/* replace a character */
			if (b->len > 0)
			{
				ch = c->alphabet[rng_below(r, n)];
				buf_splice(b, rng_below(r, b->len), 1, &ch, 1);
			}
			break;
		case 3:					/* duplicate a piece */
			s = rng_below(r, b->len + 1);
			e = s + rng_size(r, 8, 200);
			if (e > b->len)
				e = b->len;
			buf_splice(b, e, 0, b->data + s, e - s);
			break;
		case 4:					/* truncate */
			buf_splice(b, pos, b->len, "", 0);
			break;
		case 5:					/* a number for a special one */
			if (pick_span(r, b, rng_below(r, 2) ? SPAN_DIGITS : SPAN_NUMBER, &s, &e))
			{
				const char *t = pick_token(r, c);

				buf_splice(b, s, e - s, t, strlen(t));
			}
			break;
		case 6:					/* a number for a random double or a long one */
			if (pick_span(r, b, SPAN_NUMBER, &s, &e))
			{
				uint64_t	bits = rng_next(r);
				double		d;

				memcpy(&d, &bits, sizeof(d));
				if (rng_below(r, 2))
					snprintf(number, sizeof(number), "%.17g", d);
				else
					snprintf(number, sizeof(number), "%" PRIu64 "%" PRIu64,
							 rng_next(r) % 1000000000, rng_next(r));
				buf_splice(b, s, e - s, number, strlen(number));
			}
			break;
		case 7:					/* swap two fields */
			if (pick_span(r, b, SPAN_FIELD, &s, &e) && pick_span(r, b, SPAN_FIELD, &s2, &e2))
				swap_spans(b, s, e, s2, e2);
			break;
		case 8:					/* swap two groups (orders, entries) */
			if (pick_span(r, b, SPAN_GROUP, &s, &e) && pick_span(r, b, SPAN_GROUP, &s2, &e2))
				swap_spans(b, s, e, s2, e2);
			break;
		case 9:					/* a field for a token */
			if (pick_span(r, b, SPAN_FIELD, &s, &e))
			{
				const char *t = pick_token(r, c);

				buf_splice(b, s, e - s, t, strlen(t));
			}
			break;
		case 10:				/* a token inserted anywhere */
			{
				const char *t = pick_token(r, c);

				buf_splice(b, pos, 0, t, strlen(t));
			}
			break;
		case 11:				/* repeat a group many times: larger values */
			if (pick_span(r, b, SPAN_GROUP, &s, &e))
			{
				size_t		times = 1 + rng_size(r, 10, 2000);
				Buf			more = {0};

				for (size_t k = 0; k < times && more.len + (e - s) < MAX_INPUT / 2; k++)
				{
					buf_splice(&more, more.len, 0, ",", 1);
					buf_splice(&more, more.len, 0, b->data + s, e - s);
				}
				buf_splice(b, e, 0, more.data, more.len);
				free(more.data);
			}
			break;
		case 12:				/* splice with another literal */
			{
				const char *other = c->text[rng_below(r, c->nliterals)];
				size_t		from = rng_below(r, strlen(other) + 1);

				buf_splice(b, pos, b->len, other + from, strlen(other) - from);
			}
			break;
		case 13:				/* blanks, or a letter's case */
			if (rng_below(r, 2))
				buf_splice(b, pos, 0, rng_below(r, 2) ? " " : "\t\n ", rng_below(r, 2) ? 1 : 3);
			else if (b->len > 0)
			{
				pos = rng_below(r, b->len);
				b->data[pos] = isupper((unsigned char) b->data[pos]) ?
					tolower((unsigned char) b->data[pos]) : toupper((unsigned char) b->data[pos]);
			}
			break;
	}
	if (b->len > MAX_INPUT)
		buf_splice(b, MAX_INPUT, b->len, "", 0);
}

static void
put_be(char *p, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--, v >>= 8)
		p[i] = (char) (v & 0xff);
}

static uint64_t
get_be(const char *p, int bytes)
{
	uint64_t	v = 0;

	for (int i = 0; i < bytes; i++)
		v = (v << 8) | (unsigned char) p[i];
	return v;
}

/*
 * An offset for a word of `width` bytes: half the time in the first 16 bytes (where headers,
 * versions, flags, counts and lengths live), else anywhere; 8-byte words mostly aligned to the
 * end of the value (where the columns of fixed-width values end).
 */
static size_t
pick_offset(Rng *r, const Buf *b, size_t width)
{
	size_t		limit;

	if (b->len < width)
		return 0;
	limit = b->len - width + 1;
	if (width == 8 && rng_below(r, 4) != 0 && b->len >= 8)
		return b->len % 8 + 8 * rng_below(r, (b->len - b->len % 8) / 8);
	if (rng_below(r, 2) == 0 && limit > 16)
		limit = 16;
	return rng_below(r, limit);
}

static void
insert_random_bytes(Rng *r, Buf *b, size_t at, size_t len)
{
	char	   *bytes = xmalloc(len);

	for (size_t i = 0; i < len; i++)
		bytes[i] = (char) rng_next(r);
	buf_splice(b, at, 0, bytes, len);
	free(bytes);
}

static void
mutate_binary(Rng *r, Buf *b, const Corpus *c)
{
	size_t		at,
				to,
				len;
	uint64_t	v;
	char		word[8];

	switch (rng_below(r, 11))
	{
		case 0:					/* flip bits */
			for (size_t k = 1 + rng_below(r, 4); k > 0 && b->len > 0; k--)
				b->data[rng_below(r, b->len)] ^= (char) (1 << rng_below(r, 8));
			break;
		case 1:					/* a byte for an interesting one */
			if (b->len > 0)
			{
				static const unsigned char bytes[] = {0, 1, 2, 0x7f, 0x80, 0xfe, 0xff};

				b->data[pick_offset(r, b, 1)] = (char) bytes[rng_below(r, sizeof(bytes))];
			}
			break;
		case 2:					/* a 2- or 4-byte length or count: 0, negative, huge, off by one */
			len = rng_below(r, 4) == 0 ? 2 : 4;
			if (b->len >= len)
			{
				at = pick_offset(r, b, len);
				v = get_be(b->data + at, len);
				switch (rng_below(r, 3))
				{
					case 0:
						v = special_int32[rng_below(r, sizeof(special_int32) / sizeof(special_int32[0]))];
						break;
					case 1:
						v += rng_below(r, 2) ? 1 : -1;
						break;
					default:
						v = rng_below(r, 2) ? v * 2 : (uint64_t) -(int64_t) v;
						break;
				}
				put_be(b->data + at, v, len);
			}
			break;
		case 3:					/* an 8-byte word (time, float) for an interesting one */
			if (b->len >= 8)
			{
				at = pick_offset(r, b, 8);
				v = special_word[rng_below(r, sizeof(special_word) / sizeof(special_word[0]))];
				if (rng_below(r, 4) == 0)
					v = get_be(b->data + at, 8) + (rng_below(r, 2) ? 1 : -1);
				put_be(b->data + at, v, 8);
			}
			break;
		case 4:					/* truncate */
			buf_splice(b, rng_below(r, b->len + 1), b->len, "", 0);
			break;
		case 5:					/* extend: random bytes, or a copy of a piece */
			len = 1 + rng_size(r, 16, 256);
			if (rng_below(r, 2) && b->len > 0)
			{
				at = rng_below(r, b->len);
				buf_splice(b, b->len, 0, b->data + at, len < b->len - at ? len : b->len - at);
			}
			else
				insert_random_bytes(r, b, b->len, len);
			break;
		case 6:					/* insert or delete bytes in the middle */
			at = rng_below(r, b->len + 1);
			len = 1 + rng_size(r, 8, 64);
			if (rng_below(r, 2))
				buf_splice(b, at, len, "", 0);
			else
				insert_random_bytes(r, b, at, len);
			break;
		case 7:					/* swap two aligned 8-byte words: entries out of order */
		case 8:					/* copy one onto another: equal neighbours */
			if (b->len >= 16)
			{
				bool		swap = rng_below(r, 2) == 0;

				at = pick_offset(r, b, 8);
				to = pick_offset(r, b, 8);
				memcpy(word, b->data + to, 8);
				memmove(b->data + to, b->data + at, 8);
				if (swap)
					memcpy(b->data + at, word, 8);
			}
			break;
		case 9:					/* the head of this value on the body of another */
			{
				int			other = (int) rng_below(r, c->nliterals);
				size_t		cut = rng_below(r, 17);

				if (cut > b->len)
					cut = b->len;
				len = (size_t) c->bin_len[other];
				buf_splice(b, cut, b->len, c->bin[other] + (cut < len ? cut : len),
						   cut < len ? len - cut : 0);
			}
			break;
		case 10:				/* a random 8-byte word (random float, random time) */
			if (b->len >= 8)
			{
				at = pick_offset(r, b, 8);
				put_be(b->data + at, rng_next(r), 8);
			}
			break;
	}
	if (b->len > MAX_INPUT)
		buf_splice(b, MAX_INPUT, b->len, "", 0);
}

void
make_input(const Corpus *c, uint64_t seed, bool binary, uint64_t index, Buf *b)
{
	Rng			r = rng_for_input(seed, binary, index);
	int			literal = (int) rng_below(&r, c->nliterals);
	int			steps;

	if (rng_below(&r, 4) == 0)
	{
		if (!binary)
			random_text(&r, b, c->alphabet);
		else
		{
			/* random bytes, often behind a valid head */
			size_t		len = rng_size(&r, 40, 400);
			size_t		head = rng_below(&r, 2) ? rng_below(&r, 7) : 0;

			if (head > (size_t) c->bin_len[literal])
				head = c->bin_len[literal];
			buf_set(b, c->bin[literal], head);
			insert_random_bytes(&r, b, b->len, len);
		}
		return;
	}
	if (!binary)
		buf_set(b, c->text[literal], strlen(c->text[literal]));
	else
		buf_set(b, c->bin[literal], c->bin_len[literal]);
	steps = 1 + (int) (rng_below(&r, 3) == 0 ? rng_below(&r, 4) : 0);
	for (int i = 0; i < steps; i++)
	{
		if (!binary)
			mutate_text(&r, b, c);
		else
			mutate_binary(&r, b, c);
	}
}
