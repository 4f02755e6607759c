/*
 * rfm_model.c
 *	  The core of the rfm_model type (rfm_model.h): reading stored values, the checks every path
 *	  shares, building models and the binary form.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "libpq/pqformat.h"

#include "rfm_model.h"
#include "summary.h"

const char *const rfm_metric_names[3] = {"recency", "frequency", "monetary"};

RfmModel *
rfm_detoast(Datum datum)
{
	RfmModel   *model = (RfmModel *) PG_DETOAST_DATUM(datum);
	Size		size = VARSIZE(model);

	if (size < RFM_HEADER_SIZE)
		summary_error_corrupted(RFM_MODEL_TYPE_NAME);
	summary_check_version(RFM_MODEL_TYPE_NAME, model->version, RFM_FORMAT_VERSION);
	if (model->flags != 0 || model->bins < RFM_MIN_BINS || model->bins > RFM_MAX_BINS ||
		size != RFM_SIZE(model->bins))
		summary_error_corrupted(RFM_MODEL_TYPE_NAME);
	return model;
}

void
rfm_check_bins(int64 bins)
{
	if (bins < RFM_MIN_BINS || bins > RFM_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bins must be between %d and %d, not " INT64_FORMAT,
						RFM_MIN_BINS, RFM_MAX_BINS, bins),
				 errdetail("Each metric is scored from 1 to bins.")));
}

void
rfm_check_value(int metric, float8 value)
{
	if (!(value >= 0 && value <= DBL_MAX))
	{
		char		buf[SUMMARY_FLOAT8_TEXT_LEN];

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s value \"%s\"", rfm_metric_names[metric],
						summary_float8_text(value, buf)),
				 errdetail("Recency (days), frequency and monetary value must be finite numbers, zero or more.")));
	}
}

RfmModel *
rfm_allocate(int bins)
{
	RfmModel   *model;

	rfm_check_bins(bins);
	model = palloc0(RFM_SIZE(bins));
	SET_VARSIZE(model, RFM_SIZE(bins));
	model->version = RFM_FORMAT_VERSION;
	model->bins = bins;
	return model;
}

void
rfm_check_cuts(RfmModel *model, const char *input)
{
	for (int metric = 0; metric < 3; metric++)
	{
		float8	   *cuts = RFM_CUTS(model, metric);

		for (int i = 0; i < model->bins - 1; i++)
		{
			char		buf[SUMMARY_FLOAT8_TEXT_LEN];
			const char *number = summary_float8_text(cuts[i], buf);
			const char *problem = NULL;

			if (!(cuts[i] >= 0 && cuts[i] <= DBL_MAX))
				problem = "Cut points must be finite numbers, zero or more.";
			else if (i > 0 && cuts[i] < cuts[i - 1])
				problem = "The cut points of each metric must be in ascending order.";
			if (problem != NULL && input != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type %s: \"%s\"", RFM_MODEL_TYPE_NAME, input),
						 errdetail("%s The %s cut point %d is %s.", problem,
								   rfm_metric_names[metric], i + 1, number)));
			if (problem != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid %s cut point %s", rfm_metric_names[metric], number),
						 errdetail("%s", problem)));
			cuts[i] += 0.0;
		}
	}
}

bytea *
rfm_binary(const RfmModel *model)
{
	StringInfoData buf;
	int			n = 3 * (model->bins - 1);

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, model->version);
	pq_sendbyte(&buf, model->flags);
	pq_sendint16(&buf, model->bins);
	for (int i = 0; i < n; i++)
		pq_sendfloat8(&buf, model->cuts[i]);
	return pq_endtypsend(&buf);
}

RfmModel *
rfm_read_binary(StringInfo buf)
{
	int			bins;
	RfmModel   *model;

	if (buf->len - buf->cursor < 4)
		summary_error_binary(RFM_MODEL_TYPE_NAME, "The value is shorter than its 4-byte header.");
	summary_check_binary_version(RFM_MODEL_TYPE_NAME, pq_getmsgbyte(buf), RFM_FORMAT_VERSION);
	if (pq_getmsgbyte(buf) != 0)
		summary_error_binary(RFM_MODEL_TYPE_NAME, "Unknown flag bits are set.");
	bins = pq_getmsgint(buf, 2);
	if (bins < RFM_MIN_BINS || bins > RFM_MAX_BINS)
		summary_error_binary(RFM_MODEL_TYPE_NAME, "The bin count is out of range.");
	if ((Size) (buf->len - buf->cursor) != 3 * (bins - 1) * sizeof(float8))
		summary_error_binary(RFM_MODEL_TYPE_NAME, "The length does not match the bin count.");
	model = rfm_allocate(bins);
	for (int i = 0; i < 3 * (bins - 1); i++)
		model->cuts[i] = pq_getmsgfloat8(buf);
	for (int metric = 0; metric < 3; metric++)
	{
		const float8 *cuts = RFM_CUTS(model, metric);

		for (int i = 0; i < bins - 1; i++)
			if (!(cuts[i] >= 0 && cuts[i] <= DBL_MAX) || (i > 0 && cuts[i] < cuts[i - 1]) ||
				(cuts[i] == 0 && signbit(cuts[i])))
				summary_error_binary(RFM_MODEL_TYPE_NAME,
									 "Cut points must be finite, zero or more, ascending, and not -0.");
	}
	return model;
}
