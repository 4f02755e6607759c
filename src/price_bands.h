/*
 * price_bands.h
 *	  Price bands: the two cut points that split a category's prices into the tiers low, mid and
 *	  high (profiling.price_tier), and how many prices they were computed from.  Defined by
 *	  price_bands.c (the type is small enough for one file: reading a value, text and binary I/O,
 *	  comparisons, accessors, the constructor from explicit bounds and price_tier(bands, price));
 *	  the aggregate price_bands(unit_price) is price_bands_agg.c's.  The tier labels are here too:
 *	  tier_mix.c reads them.
 *
 * Layout (version 1), 32 bytes:
 *
 *	  int32   vl_len_
 *	  uint8   version        PRICE_BANDS_FORMAT_VERSION
 *	  uint8   flags          none are defined yet: must be zero
 *	  uint16  reserved       must be zero
 *	  int64   prices         the prices the cut points come from; 0: explicit bounds
 *	  float8  low_max        the highest price of the low tier
 *	  float8  mid_max        the highest price of the mid tier (>= low_max)
 *
 * Cut points are finite, zero or more, -0 stored as +0: equal bands have equal bytes, so
 * equality and hashing are byte comparisons.
 */
#ifndef PROFILING_PRICE_BANDS_H
#define PROFILING_PRICE_BANDS_H

#include "postgres.h"

#include "fmgr.h"

#define PRICE_BANDS_TYPE_NAME		"price_bands"
#define PRICE_BANDS_FORMAT_VERSION	1

/* The tiers, in the order of the SQL enum profiling.price_tier. */
typedef enum PriceTier
{
	PRICE_TIER_LOW,
	PRICE_TIER_MID,
	PRICE_TIER_HIGH
} PriceTier;

#define PRICE_TIERS 3

extern const char *const price_tier_labels[PRICE_TIERS];

typedef struct PriceBands
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		reserved;
	int64		prices;
	float8		low_max;
	float8		mid_max;
} PriceBands;

#define PRICE_BANDS_SIZE	sizeof(PriceBands)

#define PG_GETARG_PRICE_BANDS_P(n)	price_bands_detoast(PG_GETARG_DATUM(n))
#define PG_RETURN_PRICE_BANDS_P(x)	PG_RETURN_POINTER(x)

extern PriceBands *price_bands_detoast(Datum datum);

/* A price: finite and zero or more (22023); what: "price", "cut point". */
extern void price_bands_check_price(float8 price, const char *what);

/* New bands; checks the cut points (22023: not finite, negative, or low_max > mid_max). */
extern PriceBands *price_bands_make(float8 low_max, float8 mid_max, int64 prices);

#endif							/* PROFILING_PRICE_BANDS_H */
