/*
 * cohorts_accessors.c
 *	  The SQL functions that read a cohorts summary: retention(c), one row a cohort and period.
 *
 * Which parameter belongs where: the unit belongs to the aggregate (a summary counts in one
 * unit; the session TimeZone is read then, and only then); retention reads the stored dates
 * and period numbers, so its rows never depend on the session.
 */
#include "postgres.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/date.h"
#include "utils/tuplestore.h"

#include "cohorts.h"
#include "stats.h"

PG_FUNCTION_INFO_V1(cohorts_retention);

/*
 * revenue / customers, rounded once when the revenue is a decimal sum (money): the revenue per
 * customer of 0.1 + 0.2 over three customers is 0.1.
 */
static float8
per_customer(float8 revenue, int64 customers)
{
	stats_decimal d = {0, 0};

	if (stats_decimal_add(&d, &revenue, 1))
		return stats_decimal_value(&d, (double) customers);
	return revenue / (double) customers;
}

/*
 * retention(c): for each cohort (ascending) every period from 0 (the cohort's own) to the last
 * period with any purchase in the summary, periods without purchases included as zeros.
 */
Datum
cohorts_retention(PG_FUNCTION_ARGS)
{
	Cohorts    *ch = PG_GETARG_COHORTS_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const int64 *retained = CH_RETAINED(ch);
	const float8 *revenue = CH_REVENUE(ch);
	int32		cell = 0;

	InitMaterializedSRF(fcinfo, 0);
	for (int32 i = 0; i < ch->ncohorts; i++)
	{
		int32		periods = ch_cohort_periods(ch, i);
		int64		customers = retained[cell];

		CHECK_FOR_INTERRUPTS();
		for (int32 k = 0; k < periods; k++, cell++)
		{
			Datum		values[7];
			bool		nulls[7] = {false, false, false, false, false, false, false};

			values[0] = DateADTGetDatum(CH_STARTS(ch)[i]);
			values[1] = Int32GetDatum(k);
			values[2] = Int64GetDatum(customers);
			values[3] = Int64GetDatum(retained[cell]);
			values[4] = Float8GetDatum((double) retained[cell] / (double) customers);
			values[5] = Float8GetDatum(revenue[cell]);
			values[6] = Float8GetDatum(per_customer(revenue[cell], customers));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}
