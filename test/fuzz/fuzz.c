/*
 * fuzz.c
 *	  The fuzz client: feeds one summary type random and mutated text and binary values (made by
 *	  inputs.c) over the real protocol, exactly as a driver does (extended protocol, typed
 *	  parameters: text input at Bind runs the type's input function, binary input its receive
 *	  function), and checks what comes back.  test/harness/fuzz.sh builds and runs it;
 *	  test/fuzz/README.md has the rules.
 *
 *	  fuzz --type test/fuzz/types/<type>.conf [--mode text|binary|both] [--inputs N]
 *	       [--seed S] [--only I] [--show N]
 *
 * Connects with libpq's usual environment (PGHOST, PGPORT, PGDATABASE...).  Every input is
 * either rejected with SQLSTATE class 22 or one the type file lists, or accepted; an accepted
 * value must round-trip (its text read back gives the same send bytes and the same text; its
 * send bytes read back through receive give the same bytes; for binary input, send gives back
 * the input byte for byte) and answer every accessor of the type file.  Anything else, a lost
 * connection included, is a failure, printed with the input as an SQL literal and in hex.
 *
 * Deterministic: the sample warehouse is, and so is each input (inputs.h); `--only I` rebuilds
 * and retries one input.
 *
 * Speed: libpq pipeline mode, a Sync after every statement so that one input's error does not
 * abort the next; a batch of inputs is sent before any result is read.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libpq-fe.h"

#include "inputs.h"

#define BATCH			500		/* inputs sent before reading their results */
#define MAX_CHECKS		64
#define MAX_CODES		8
#define MAX_TOKENS		128

/* ---------------------------------------------------------------------------------------------
 * The type file (test/fuzz/types/<type>.conf): one directive a line, see test/fuzz/README.md
 * ---------------------------------------------------------------------------------------------
 */

typedef struct Check
{
	bool		is_check;		/* a property that must be true; else an accessor */
	char	   *expr;
	int			ncodes;			/* documented SQLSTATEs it may raise instead of answering */
	char		codes[MAX_CODES][6];
} Check;

typedef struct TypeConf
{
	char	   *label;			/* the file's name without .conf */
	char	   *type;
	char	   *alphabet;
	char	   *literals;
	int			ntokens;
	char	   *tokens[MAX_TOKENS];
	int			ncodes;			/* documented SQLSTATEs of input, besides class 22 */
	char		codes[MAX_CODES][6];
	int			nchecks;
	Check		checks[MAX_CHECKS];
} TypeConf;

static bool
is_sqlstate(const char *s, size_t len)
{
	if (len != 5)
		return false;
	for (size_t i = 0; i < 5; i++)
		if (!isdigit((unsigned char) s[i]) && !isupper((unsigned char) s[i]))
			return false;
	return true;
}

/* "-- may raise 22003 22008" after an expression: the codes; the comment is cut off. */
static int
parse_codes(char *line, char codes[][6], int max, const char *path)
{
	char	   *comment = strstr(line, "--");
	char	   *p;
	int			n = 0;

	if (comment == NULL)
		return 0;
	*comment = '\0';
	p = comment + 2;
	while (isspace((unsigned char) *p))
		p++;
	if (strncmp(p, "may raise", 9) != 0)
		return 0;
	p += 9;
	for (;;)
	{
		size_t		len;

		while (isspace((unsigned char) *p) || *p == ',')
			p++;
		len = strcspn(p, " \t,");
		if (len == 0)
			break;
		if (!is_sqlstate(p, len) || n == max)
			die("%s: \"may raise\" wants at most %d SQLSTATEs: %s", path, max, comment + 2);
		memcpy(codes[n], p, 5);
		codes[n++][5] = '\0';
		p += len;
	}
	return n;
}

static char *
trim(char *s)
{
	char	   *end = s + strlen(s);

	while (isspace((unsigned char) *s))
		s++;
	while (end > s && isspace((unsigned char) end[-1]))
		*--end = '\0';
	return s;
}

/* Interprets \t, \n and \\ in the alphabet and tokens (the file is one directive a line). */
static char *
unescape(const char *s)
{
	char	   *out = xmalloc(strlen(s) + 1);
	char	   *o = out;

	for (; *s; s++)
	{
		if (*s == '\\' && (s[1] == 't' || s[1] == 'n' || s[1] == '\\' || s[1] == 's'))
		{
			s++;
			*o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 's' ? ' ' : '\\';
		}
		else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

static void
conf_directive(TypeConf *conf, char *line, const char *path)
{
	char	   *key = line;
	char	   *value;
	char	   *name_end = line + strcspn(line, " \t");

	value = *name_end ? name_end + 1 : name_end;
	*name_end = '\0';

	if (strcmp(key, "type") == 0)
		conf->type = xstrdup(trim(value));
	else if (strcmp(key, "alphabet") == 0)
		conf->alphabet = unescape(trim(value));
	else if (strcmp(key, "literals") == 0)
		conf->literals = xstrdup(trim(value));
	else if (strcmp(key, "token") == 0)
	{
		if (conf->ntokens == MAX_TOKENS)
			die("%s: more than %d tokens", path, MAX_TOKENS);
		conf->tokens[conf->ntokens++] = unescape(trim(value));
	}
	else if (strcmp(key, "sqlstate") == 0)
	{
		char	   *code = trim(value);
		size_t		len = strcspn(code, " \t");

		if (!is_sqlstate(code, len) || conf->ncodes == MAX_CODES)
			die("%s: sqlstate wants one SQLSTATE (at most %d lines): %s", path, MAX_CODES, code);
		memcpy(conf->codes[conf->ncodes], code, 5);
		conf->codes[conf->ncodes++][5] = '\0';
	}
	else if (strcmp(key, "accessor") == 0 || strcmp(key, "check") == 0)
	{
		Check	   *c;

		if (conf->nchecks == MAX_CHECKS)
			die("%s: more than %d accessors and checks", path, MAX_CHECKS);
		c = &conf->checks[conf->nchecks++];
		c->is_check = strcmp(key, "check") == 0;
		c->ncodes = parse_codes(value, c->codes, MAX_CODES, path);
		c->expr = xstrdup(trim(value));
	}
	else
		die("%s: unknown directive \"%s\"", path, key);
}

/*
 * Reads the type file: "directive value" lines; a line starting with blanks continues the one
 * before; lines starting with # are comments.
 */
static void
conf_read(TypeConf *conf, const char *path)
{
	FILE	   *f = fopen(path, "r");
	char		line[8192];
	char	   *pending = NULL;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	if (f == NULL)
		die("cannot open %s: %s", path, strerror(errno));
	memset(conf, 0, sizeof(*conf));
	conf->label = xstrdup(base);
	if (strstr(conf->label, ".conf"))
		*strstr(conf->label, ".conf") = '\0';

	for (;;)
	{
		bool		eof = fgets(line, sizeof(line), f) == NULL;

		if (!eof && strlen(line) == sizeof(line) - 1)
			die("%s: line too long", path);
		if (!eof && line[0] == '#')
			continue;
		if (!eof && (line[0] == ' ' || line[0] == '\t') && pending != NULL)
		{
			char	   *more = trim(line);
			size_t		len = strlen(pending);

			if (*more == '\0')
				continue;
			pending = realloc(pending, len + strlen(more) + 2);
			pending[len] = ' ';
			strcpy(pending + len + 1, more);
			continue;
		}
		if (pending != NULL)
		{
			conf_directive(conf, pending, path);
			free(pending);
			pending = NULL;
		}
		if (eof)
			break;
		if (*trim(line) != '\0')
			pending = xstrdup(trim(line));
	}
	fclose(f);
	if (conf->type == NULL || conf->alphabet == NULL || conf->literals == NULL)
		die("%s: type, alphabet and literals are required", path);
}

/* ---------------------------------------------------------------------------------------------
 * The connection and the statements
 * ---------------------------------------------------------------------------------------------
 */

typedef struct Fuzz
{
	TypeConf	conf;
	PGconn	   *conn;
	unsigned int type_oid;
	char	   *schema;			/* the type's schema: the search_path of the expressions */
	char	   *send_fn;		/* the type's send function, regproc text */
	char	   *stmt_read;		/* SELECT send($1), $1::text */
	char	   *stmt_check;		/* round trip of text $1 and binary $2, every accessor */
	Corpus		corpus;			/* the alphabet, tokens and valid literals */
	uint64_t	seed;
	int			show;			/* failures printed in full per mode */
} Fuzz;

static PGconn *
connect_db(void)
{
	/*
	 * log_min_messages=log: a million rejected inputs would each log an ERROR and the input; the
	 * client sees every error itself.  Crashes, TRAPs and what a backend writes to stderr still
	 * reach the log, which the harness scans.
	 */
	const char *keys[] = {"options", "fallback_application_name", NULL};
	const char *values[] = {"-c log_min_messages=log -c log_min_error_statement=panic "
		"-c TimeZone=Europe/London -c statement_timeout=60s -c client_min_messages=warning",
	"profiling-fuzz", NULL};
	PGconn	   *conn = PQconnectdbParams(keys, values, 1);

	if (PQstatus(conn) != CONNECTION_OK)
	{
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

static PGresult *
exec_ok(Fuzz *f, const char *sql, int nparams, const char *const *values, int result_format)
{
	PGresult   *r = PQexecParams(f->conn, sql, nparams, NULL, values, NULL, NULL, result_format);

	if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
		die("%s\n# statement: %s", PQerrorMessage(f->conn), sql);
	return r;
}

static void
prepare_statements(Fuzz *f)
{
	unsigned int types[2] = {f->type_oid, f->type_oid};
	const char *params[1] = {f->schema};
	PGresult   *r;

	/* the type file's expressions find the type's operators without qualifying them */
	PQclear(exec_ok(f, "SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident($1), false)",
					1, params, 0));
	r = PQprepare(f->conn, "read", f->stmt_read, 1, types);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die("%s\n# statement: %s", PQerrorMessage(f->conn), f->stmt_read);
	PQclear(r);
	r = PQprepare(f->conn, "check", f->stmt_check, 2, types);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die("%s\n# statement: %s", PQerrorMessage(f->conn), f->stmt_check);
	PQclear(r);
}

/*
 * After a lost connection: wait for the server to come back (crash recovery) and go on.  The
 * wait comes first: a connection made before the postmaster has noticed a crashed backend is
 * terminated with all the others when it does.
 */
static void
reconnect(Fuzz *f)
{
	PQfinish(f->conn);
	for (int attempt = 0; attempt < 60; attempt++)
	{
		sleep(1);
		f->conn = connect_db();
		if (f->conn != NULL)
		{
			prepare_statements(f);
			return;
		}
	}
	die("the server did not come back after a lost connection");
}

static void
setup(Fuzz *f)
{
	Corpus	   *c = &f->corpus;
	PGresult   *r;
	const char *params[1] = {f->conf.type};
	char	   *sql;
	size_t		size;
	FILE	   *s;

	f->conn = connect_db();
	if (f->conn == NULL)
		die("cannot connect (PGHOST, PGPORT, PGDATABASE...)");

	r = exec_ok(f, "SELECT t.oid, t.typsend::regproc::text, t.typreceive <> 0, n.nspname "
				"FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
				"WHERE t.oid = $1::regtype", 1, params, 0);
	if (PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 2), "t") != 0)
		die("type %s has no binary receive", f->conf.type);
	f->type_oid = (unsigned int) strtoul(PQgetvalue(r, 0, 0), NULL, 10);
	f->send_fn = xstrdup(PQgetvalue(r, 0, 1));
	f->schema = xstrdup(PQgetvalue(r, 0, 3));
	PQclear(r);

	s = open_memstream(&f->stmt_read, &size);
	fprintf(s, "SELECT %s($1), $1::text", f->send_fn);
	fclose(s);

	/* one statement checks everything about an accepted value: the columns in this order */
	s = open_memstream(&f->stmt_check, &size);
	fprintf(s, "SELECT %s($1), $1::text, %s($2)", f->send_fn, f->send_fn);
	for (int i = 0; i < f->conf.nchecks; i++)
		fprintf(s, f->conf.checks[i].is_check ? ",\n (%s) IS TRUE" : ",\n (%s) IS NULL",
				f->conf.checks[i].expr);
	fclose(s);
	prepare_statements(f);

	/* the valid literals: text and send bytes */
	s = open_memstream(&sql, &size);
	/* in one order whatever the plan: input I is made from the same literals every time */
	fprintf(s, "SELECT v::text, %s(v) FROM (%s) AS literals(v) WHERE v IS NOT NULL ORDER BY 2, 1",
			f->send_fn, f->conf.literals);
	fclose(s);
	r = exec_ok(f, sql, 0, NULL, 1);
	free(sql);
	c->nliterals = PQntuples(r);
	if (c->nliterals == 0)
		die("the literals query of %s returns no value", f->conf.label);
	c->text = xmalloc(sizeof(char *) * c->nliterals);
	c->bin = xmalloc(sizeof(char *) * c->nliterals);
	c->bin_len = xmalloc(sizeof(int) * c->nliterals);
	for (int i = 0; i < c->nliterals; i++)
	{
		c->text[i] = xstrdup(PQgetvalue(r, i, 0));
		c->bin_len[i] = PQgetlength(r, i, 1);
		c->bin[i] = xmalloc(c->bin_len[i]);
		memcpy(c->bin[i], PQgetvalue(r, i, 1), c->bin_len[i]);
	}
	PQclear(r);
}

/* ---------------------------------------------------------------------------------------------
 * Running statements in pipeline mode
 * ---------------------------------------------------------------------------------------------
 */

typedef struct Job
{
	const char *values[2];
	int			lengths[2];
	int			formats[2];
	PGresult   *result;			/* rows or an error; NULL when the connection was lost */
	char	   *lost;			/* why the connection was lost during this job, twice */
	bool		retried;		/* lost once already */
} Job;

static bool
connection_lost(Fuzz *f)
{
	return PQstatus(f->conn) == CONNECTION_BAD;
}

/*
 * Runs statement `stmt` once per job, each followed by a Sync.  The server runs them in order,
 * so when the connection is lost the first job without a result is the one that lost it: the
 * client reconnects and runs it again, first in the next pipeline.  A job that loses the
 * connection twice is marked lost; one that then runs is judged by that run (the connection
 * was lost for another reason).
 */
static void
run_jobs(Fuzz *f, const char *stmt, int nparams, Job *jobs, int n)
{
	int			i = 0;

	while (i < n)
	{
		int			sent = i;
		int			j;

		if (!PQenterPipelineMode(f->conn))
			die("cannot enter pipeline mode: %s", PQerrorMessage(f->conn));
		while (sent < n &&
			   PQsendQueryPrepared(f->conn, stmt, nparams, jobs[sent].values, jobs[sent].lengths,
								   jobs[sent].formats, 1) &&
			   PQpipelineSync(f->conn))
			sent++;

		for (j = i; j < sent; j++)
		{
			PGresult   *r = PQgetResult(f->conn);
			PGresult   *extra;
			const char *severity = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
			bool		lost = r == NULL || connection_lost(f) ||
				(PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_FATAL_ERROR) ||
				(severity != NULL && strcmp(severity, "ERROR") != 0);

			if (!lost)
			{
				while ((extra = PQgetResult(f->conn)) != NULL)	/* end of this query */
					PQclear(extra);
				extra = PQgetResult(f->conn);	/* its Sync */
				lost = PQresultStatus(extra) != PGRES_PIPELINE_SYNC;
				if (lost && !connection_lost(f))
					die("unexpected result in the pipeline: %s",
						PQresStatus(PQresultStatus(extra)));
				PQclear(extra);
			}
			if (lost)
			{
				const char *why = r ? PQresultErrorMessage(r) : "";

				if (*why == '\0')
					why = PQerrorMessage(f->conn);
				if (jobs[j].retried)
				{
					jobs[j].lost = xstrdup(*why ? why : "connection lost");
					while (*jobs[j].lost && strchr("\n ", jobs[j].lost[strlen(jobs[j].lost) - 1]))
						jobs[j].lost[strlen(jobs[j].lost) - 1] = '\0';
				}
				PQclear(r);
				break;
			}
			jobs[j].result = r;
		}
		if (j < sent || sent < n || connection_lost(f))
		{
			/* a job lost the connection (or sending failed): again, or go on after it */
			reconnect(f);
			if (j < sent && !jobs[j].retried)
				jobs[j].retried = true;
			else
				j = j < sent ? j + 1 : sent;
			i = j;
			continue;
		}
		if (!PQexitPipelineMode(f->conn))
			die("cannot leave pipeline mode: %s", PQerrorMessage(f->conn));
		i = sent;
	}
}

/* ---------------------------------------------------------------------------------------------
 * Checking and reporting
 * ---------------------------------------------------------------------------------------------
 */

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef enum Mode
{
	MODE_TEXT,
	MODE_BINARY
} Mode;

static const char *const mode_name[] = {"text", "binary"};

typedef struct Stats
{
	long		inputs;
	long		accepted;
	long		rejected;
	long		failures;
	long		documented;		/* accepted values some accessor answered with a documented error */
	long		by_code_n[32];
	char		by_code[32][6];
	double		seconds;
} Stats;

static void
count_code(Stats *st, const char *code)
{
	for (int i = 0; i < 32; i++)
	{
		if (st->by_code[i][0] == '\0')
			strcpy(st->by_code[i], code);
		if (strcmp(st->by_code[i], code) == 0)
		{
			st->by_code_n[i]++;
			return;
		}
	}
}

static bool
code_listed(const char *code, const char codes[][6], int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

/* Input errors: class 22, or a SQLSTATE the type file lists as documented. */
static bool
clean_input_error(const Fuzz *f, const char *code)
{
	return strncmp(code, "22", 2) == 0 || code_listed(code, f->conf.codes, f->conf.ncodes);
}

/* The input as an SQL literal: text as a string, binary as a bytea. */
static void
print_input(Mode mode, const char *data, size_t len)
{
	bool		plain = true;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char) data[i] < 0x20 || (unsigned char) data[i] >= 0x7f)
			plain = false;
	if (mode == MODE_TEXT)
	{
		printf("#   literal: %s'", plain ? "" : "E");
		for (size_t i = 0; i < len; i++)
		{
			unsigned char c = (unsigned char) data[i];

			if (c == '\'')
				fputs("''", stdout);
			else if (!plain && c == '\\')
				fputs("\\\\", stdout);
			else if (c < 0x20 || c >= 0x7f)
				printf("\\x%02x", c);
			else
				putchar(c);
		}
		printf("'\n");
	}
	printf("#   %s: '\\x", mode == MODE_TEXT ? "hex (of the text)" : "bytea");
	for (size_t i = 0; i < len; i++)
		printf("%02x", (unsigned char) data[i]);
	printf("'%s\n", mode == MODE_BINARY ? "::bytea" : "");
}

typedef struct Input
{
	Buf			data;
	uint64_t	index;
	bool		failed;
	char	   *text;			/* the accepted value's text and send bytes, for the check */
	char	   *bin;
	int			bin_len;
} Input;

static void
failure(Fuzz *f, Stats *st, Mode mode, Input *in, const char *fmt,...)
{
	va_list		ap;

	in->failed = true;
	if (++st->failures > f->show)
		return;
	printf("# FAILURE %s %s input #%" PRIu64 " (seed %" PRIu64 "): ", f->conf.label,
		   mode_name[mode], in->index, f->seed);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	print_input(mode, in->data.data, in->data.len);
	printf("#   again: make fuzz FUZZ_TYPE=%s FUZZ_SEED=%" PRIu64 " FUZZ_ARGS='--mode %s --only %"
		   PRIu64 "'\n", f->conf.label, f->seed, mode_name[mode], in->index);
	fflush(stdout);
}

static const char *
error_text(const PGresult *r)
{
	static char buf[1024];
	const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

	snprintf(buf, sizeof(buf), "%s %.900s", code ? code : "(no SQLSTATE)", msg ? msg : "");
	return buf;
}

static bool
same_bytes(const PGresult *r, int col, const char *data, int len)
{
	return !PQgetisnull(r, 0, col) && PQgetlength(r, 0, col) == len &&
		memcmp(PQgetvalue(r, 0, col), data, len) == 0;
}

/* The round trip of an accepted value: columns 0-2 of the check statement. */
static void
judge_round_trip(Fuzz *f, Stats *st, Mode mode, Input *in, const PGresult *r)
{
	if (!same_bytes(r, 0, in->bin, in->bin_len))
		failure(f, st, mode, in, "text round trip: its text reads back as other send bytes "
				"(text %.300s)", in->text);
	else if (!same_bytes(r, 1, in->text, (int) strlen(in->text)))
		failure(f, st, mode, in, "text round trip: the text %.300s reads back and prints as %.300s",
				in->text, PQgetvalue(r, 0, 1));
	else if (!same_bytes(r, 2, in->bin, in->bin_len))
		failure(f, st, mode, in, "binary round trip: receive of its send bytes sends other bytes");
}

/*
 * A check statement failed: run the round trip and every accessor on its own, to name what
 * failed, and let pass the documented errors an accessor may raise.
 */
static void
check_one_by_one(Fuzz *f, Stats *st, Mode mode, Input *in)
{
	const unsigned int types[2] = {f->type_oid, f->type_oid};
	const char *values[2] = {in->text, in->bin};
	const int	lengths[2] = {0, in->bin_len};
	const int	formats[2] = {0, 1};
	bool		documented = false;

	for (int i = -1; i < f->conf.nchecks && !in->failed; i++)
	{
		char	   *sql;
		size_t		size;
		FILE	   *s = open_memstream(&sql, &size);
		PGresult   *r;
		const char *code;

		if (i < 0)
			fprintf(s, "SELECT %s($1), $1::text, %s($2)", f->send_fn, f->send_fn);
		else
			fprintf(s, f->conf.checks[i].is_check ? "SELECT (%s) IS NOT TRUE, $2 IS NULL" :
					"SELECT (%s) IS NULL, $2 IS NULL", f->conf.checks[i].expr);
		fclose(s);
		r = PQexecParams(f->conn, sql, 2, types, values, lengths, formats, 1);
		code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (connection_lost(f))
		{
			failure(f, st, mode, in, "the connection was lost in %s", sql);
			reconnect(f);
		}
		else if (PQresultStatus(r) != PGRES_TUPLES_OK)
		{
			if (i < 0 || code == NULL ||
				!code_listed(code, f->conf.checks[i].codes, f->conf.checks[i].ncodes))
				failure(f, st, mode, in, "accepted, but %s raises %s", i < 0 ? "reading it back" :
						f->conf.checks[i].expr, error_text(r));
			else if (!documented)
			{
				documented = true;
				st->documented++;
			}
		}
		else if (i < 0)
			judge_round_trip(f, st, mode, in, r);
		else if (f->conf.checks[i].is_check && PQgetvalue(r, 0, 0)[0] != 0)
			failure(f, st, mode, in, "accepted, but this is not true of it: %s",
					f->conf.checks[i].expr);
		PQclear(r);
		free(sql);
	}
}

/* Reads what the check statement returned for an accepted value. */
static void
judge_check(Fuzz *f, Stats *st, Mode mode, Input *in, Job *job)
{
	PGresult   *r = job->result;

	if (job->lost)
	{
		failure(f, st, mode, in, "accepted, but checking it lost the connection: %s", job->lost);
		return;
	}
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
	{
		check_one_by_one(f, st, mode, in);
		return;
	}
	judge_round_trip(f, st, mode, in, r);
	for (int i = 0; i < f->conf.nchecks && !in->failed; i++)
		if (f->conf.checks[i].is_check && PQgetvalue(r, 0, 3 + i)[0] != 1)
			failure(f, st, mode, in, "accepted, but this is not true of it: %s",
					f->conf.checks[i].expr);
}

/* Reads what the read statement returned for an input: rejected, accepted, or a failure. */
static bool
judge_read(Fuzz *f, Stats *st, Mode mode, Input *in, Job *job)
{
	PGresult   *r = job->result;
	const char *code;

	if (job->lost)
	{
		failure(f, st, mode, in, "the connection was lost (did the backend crash? see the server log): %s",
				job->lost);
		return false;
	}
	if (PQresultStatus(r) == PGRES_FATAL_ERROR)
	{
		code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		if (code == NULL || !clean_input_error(f, code))
			failure(f, st, mode, in, "rejected with an undocumented SQLSTATE: %s", error_text(r));
		else
		{
			st->rejected++;
			count_code(st, code);
		}
		return false;
	}
	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0) || PQgetisnull(r, 0, 1))
	{
		failure(f, st, mode, in, "accepted as a NULL or without send bytes");
		return false;
	}
	in->bin_len = PQgetlength(r, 0, 0);
	in->bin = xmalloc(in->bin_len);
	memcpy(in->bin, PQgetvalue(r, 0, 0), in->bin_len);
	in->text = xstrdup(PQgetvalue(r, 0, 1));
	if (mode == MODE_BINARY &&
		((size_t) in->bin_len != in->data.len || memcmp(in->bin, in->data.data, in->data.len) != 0))
	{
		failure(f, st, mode, in, "accepted, but send gives other bytes: the input is not canonical "
				"(text %.300s)", in->text);
		return false;
	}
	return true;
}

static void
fuzz_mode(Fuzz *f, Mode mode, long ninputs, long only)
{
	Stats		st = {0};
	Input	   *inputs = calloc(BATCH, sizeof(Input));
	Job		   *jobs = calloc(BATCH, sizeof(Job));
	int		   *accepted = calloc(BATCH, sizeof(int));
	double		start = now_seconds();
	long		first = only >= 0 ? only : 0;
	long		end = only >= 0 ? only + 1 : ninputs;

	for (long base = first; base < end; base += BATCH)
	{
		int			n = (int) (end - base < BATCH ? end - base : BATCH);
		int			naccepted = 0;

		for (int i = 0; i < n; i++)
		{
			Input	   *in = &inputs[i];

			in->index = (uint64_t) (base + i);
			in->failed = false;
			make_input(&f->corpus, f->seed, mode == MODE_BINARY, in->index, &in->data);
			memset(&jobs[i], 0, sizeof(Job));
			jobs[i].values[0] = in->data.data;
			jobs[i].lengths[0] = (int) in->data.len;
			jobs[i].formats[0] = mode == MODE_BINARY;
			if (only >= 0)
			{
				printf("# %s %s input #%ld (seed %" PRIu64 "):\n", f->conf.label,
					   mode_name[mode], only, f->seed);
				print_input(mode, in->data.data, in->data.len);
			}
		}
		run_jobs(f, "read", 1, jobs, n);
		for (int i = 0; i < n; i++)
		{
			if (judge_read(f, &st, mode, &inputs[i], &jobs[i]))
				accepted[naccepted++] = i;
			if (only >= 0 && jobs[i].result && PQresultStatus(jobs[i].result) != PGRES_TUPLES_OK)
				printf("# rejected: %s\n", error_text(jobs[i].result));
			PQclear(jobs[i].result);
			free(jobs[i].lost);
		}

		for (int k = 0; k < naccepted; k++)
		{
			Input	   *in = &inputs[accepted[k]];

			memset(&jobs[k], 0, sizeof(Job));
			jobs[k].values[0] = in->text;
			jobs[k].values[1] = in->bin;
			jobs[k].lengths[1] = in->bin_len;
			jobs[k].formats[1] = 1;
			if (only >= 0)
				printf("# accepted: %s\n", in->text);
		}
		run_jobs(f, "check", 2, jobs, naccepted);
		for (int k = 0; k < naccepted; k++)
		{
			Input	   *in = &inputs[accepted[k]];

			judge_check(f, &st, mode, in, &jobs[k]);
			if (!in->failed)
				st.accepted++;
			PQclear(jobs[k].result);
			free(jobs[k].lost);
		}
		for (int i = 0; i < n; i++)
		{
			free(inputs[i].text);
			free(inputs[i].bin);
			inputs[i].text = inputs[i].bin = NULL;
		}
		st.inputs += n;
	}
	st.seconds = now_seconds() - start;

	printf("%s - %s %s: %ld inputs, %ld accepted, %ld rejected, %ld failures "
		   "(seed %" PRIu64 ", %.1f s, %.0f inputs/s)\n",
		   st.failures ? "not ok" : "ok", f->conf.label, mode_name[mode], st.inputs, st.accepted,
		   st.rejected, st.failures, f->seed, st.seconds, st.inputs / (st.seconds > 0 ? st.seconds : 1));
	if (st.failures > f->show)
		printf("# %ld more failures not shown (--show)\n", st.failures - f->show);
	if (st.documented > 0)
		printf("#   accepted values on which an accessor raised a documented error: %ld\n",
			   st.documented);
	if (st.rejected > 0)
	{
		printf("#   rejected by SQLSTATE:");
		for (int i = 0; i < 32 && st.by_code[i][0]; i++)
			printf(" %s %ld", st.by_code[i], st.by_code_n[i]);
		printf("\n");
	}
	fflush(stdout);
	for (int i = 0; i < BATCH; i++)
		free(inputs[i].data.data);
	free(inputs);
	free(jobs);
	free(accepted);
}

/* FNV-1a over the literals' send bytes: two runs with the same digest and seed try the same inputs. */
static uint64_t
literals_digest(const Corpus *c)
{
	uint64_t	h = UINT64_C(0xcbf29ce484222325);

	for (int i = 0; i < c->nliterals; i++)
		for (int k = 0; k <= c->bin_len[i]; k++)
			h = (h ^ (k < c->bin_len[i] ? (unsigned char) c->bin[i][k] : 0xff)) *
				UINT64_C(0x100000001b3);
	return h;
}

int
main(int argc, char **argv)
{
	Fuzz		f = {0};
	const char *type_file = NULL;
	const char *mode = "both";
	long		ninputs = 1000000;
	long		only = -1;

	f.seed = 42;
	f.show = 10;
	for (int i = 1; i < argc; i++)
	{
		const char *arg = argv[i];
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;

		if (value == NULL)
			die("%s wants a value", arg);
		if (strcmp(arg, "--type") == 0)
			type_file = value;
		else if (strcmp(arg, "--mode") == 0)
			mode = value;
		else if (strcmp(arg, "--inputs") == 0)
			ninputs = atol(value);
		else if (strcmp(arg, "--seed") == 0)
			f.seed = strtoull(value, NULL, 10);
		else if (strcmp(arg, "--only") == 0)
			only = atol(value);
		else if (strcmp(arg, "--show") == 0)
			f.show = atoi(value);
		else
			die("unknown option %s (--type FILE --mode text|binary|both --inputs N --seed S --only I --show N)",
				arg);
		i++;
	}
	if (type_file == NULL)
		die("--type test/fuzz/types/<type>.conf is required");
	if (strcmp(mode, "text") != 0 && strcmp(mode, "binary") != 0 && strcmp(mode, "both") != 0)
		die("--mode is text, binary or both");

	conf_read(&f.conf, type_file);
	f.corpus.alphabet = f.conf.alphabet;
	f.corpus.ntokens = f.conf.ntokens;
	f.corpus.tokens = f.conf.tokens;
	setup(&f);
	printf("# %s: %d valid literals (digest %016" PRIx64 "), seed %" PRIu64 "\n", f.conf.label,
		   f.corpus.nliterals, literals_digest(&f.corpus), f.seed);
	if (strcmp(mode, "binary") != 0)
		fuzz_mode(&f, MODE_TEXT, ninputs, only);
	if (strcmp(mode, "text") != 0)
		fuzz_mode(&f, MODE_BINARY, ninputs, only);
	PQfinish(f.conn);
	return 0;
}
