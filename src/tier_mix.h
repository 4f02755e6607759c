/*
 * tier_mix.h
 *	  The tier mix of a customer: per price tier (low, mid, high: price_bands.h) the order lines
 *	  bought and the amount spent on them.  This header declares what the type's core,
 *	  tier_mix.c, defines: the layout, reading a stored value safely, and the binary form.  The
 *	  core also holds the text and binary I/O and the comparisons (the type is small enough for
 *	  one file); the aggregates (tier_mix_agg.c) and the accessors (tier_mix_accessors.c) build
 *	  on it, and never on each other.
 *
 * Tiers are positions 0..2 in the order of profiling.price_tier, never enum label OIDs.
 *
 * Layout (version 1), 56 bytes:
 *
 *	  int32   vl_len_
 *	  uint8   version        TIER_MIX_FORMAT_VERSION
 *	  uint8   flags          none are defined yet: must be zero
 *	  uint16  reserved       must be zero
 *	  {int64 lines; float8 amount;} tiers[3]
 *	                         lines zero or more; amount finite, zero or more, -0 stored as +0,
 *	                         and zero when lines is zero
 *
 * Every mix has one representation, so equality and hashing are byte comparisons.
 */
#ifndef PROFILING_TIER_MIX_H
#define PROFILING_TIER_MIX_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

#include "price_bands.h"

#define TIER_MIX_TYPE_NAME		"tier_mix"
#define TIER_MIX_FORMAT_VERSION	1

typedef struct TierMixCell
{
	int64		lines;
	float8		amount;
} TierMixCell;

typedef struct TierMix
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		reserved;
	TierMixCell tiers[PRICE_TIERS];
} TierMix;

#define TIER_MIX_SIZE	sizeof(TierMix)

#define PG_GETARG_TIER_MIX_P(n)	tier_mix_detoast(PG_GETARG_DATUM(n))
#define PG_RETURN_TIER_MIX_P(x)	PG_RETURN_POINTER(x)

/* Reading a value: detoasted, its header, length and cells checked (XX001 / 0A000 when not). */
extern TierMix *tier_mix_detoast(Datum datum);

/* An empty mix, palloc'd in the current memory context. */
extern TierMix *tier_mix_allocate(void);

/* A cell that could be stored: lines >= 0, amount finite >= 0 and 0 when lines is 0. */
extern bool tier_mix_valid_cell(int64 lines, float8 amount);

#endif							/* PROFILING_TIER_MIX_H */
