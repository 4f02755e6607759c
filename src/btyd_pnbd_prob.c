/*
 * btyd_pnbd_prob.c
 *	  P(X(t) = n) of the Pareto/NBD for a new customer (see btyd_pnbd_prob.h).
 *
 * Given its purchase rate lambda and dropout rate mu, a customer buys as a Poisson process until
 * its exponential lifetime ends, so it makes n purchases in (0, t] either alive at t, or dead at
 * some tau < t after n purchases:
 *
 *	 P(X(t) = n | lambda, mu) = e^-(lambda+mu)t (lambda t)^n / n!
 *							  + int_0^t e^-lambda tau (lambda tau)^n / n!  mu e^-mu tau  dtau
 *
 * and mixed over lambda ~ Gamma(r, alpha) and mu ~ Gamma(s, beta):
 *
 *	 P(X(t) = n) = NB(n; t) (beta/(beta+t))^s + int_0^t NB(n; tau) s beta^s (beta+tau)^-(s+1) dtau
 *
 * with NB(n; tau) = Gamma(r+n)/(Gamma(r) n!) (alpha/(alpha+tau))^r (tau/(alpha+tau))^n.  Fader &
 * Hardie's closed form ("Deriving an expression for P(X(t) = x) under the Pareto/NBD model",
 * 2006) is a 2F1 minus a finite sum of n + 1 2F1 terms, a difference that cancels to nothing in
 * doubles once n is in the dozens.  The integrand above is positive, so its integral cancels
 * nothing: it is what is evaluated here.
 *
 * The integral is taken in v = ln tau, where the integrand is e^psi(v) times a constant, with
 *
 *	 psi(v) = v - n ln(1 + alpha/tau) - r ln(1 + tau/alpha) - (s+1) ln(1 + tau/beta)
 *
 * psi is concave (psi'' = -(n+r) a (1-a) - (s+1) b (1-b), a = tau/(alpha+tau), b =
 * tau/(beta+tau)): one peak, at the root of psi', or at the end v = ln t when psi' is still
 * positive there (large n: the mass sits next to tau = t).  Each ln(1 + e^x) is a softplus of a
 * difference of logarithms, so tau/alpha never overflows and nothing loses digits far from
 * alpha or beta; the peak value is factored out, so nothing underflows before the last step.
 * Concavity bounds the tails: past a point where psi is 45 below its peak, the tangent there
 * bounds what is left and the chord to the peak bounds the integral from below, and their ratio
 * is below e^-45, so the range is cut there.  What remains is integrated by adaptive
 * Gauss-Kronrod (21 points; the panel with the largest |Kronrod - Gauss| is halved until their
 * sum is below 1e-14 of the total).  That estimate is pessimistic for an analytic integrand:
 * the Kronrod values themselves are far closer than it says.  The negative binomial's
 * coefficient is btyd_special.c's, shared with the BG/NBD.
 */
#include <float.h>
#include <math.h>

#include "btyd_pnbd_prob.h"
#include "btyd_special.h"

/* How far below its peak psi is cut: e^-45 = 2.9e-20. */
#define TAIL_DROP 45.0

/*
 * The sum of the panels' |Kronrod - Gauss| relative to the total at which the halving stops; or
 * the rounding of psi, when that is larger (n in the millions: psi is a difference of terms of
 * that size, so its last bits are noise that no halving removes).
 */
#define TOLERANCE 1e-14

/* What psi needs: n, r and s + 1, ln alpha and ln beta. */
typedef struct Shape
{
	double		n;
	double		r;
	double		s1;
	double		log_alpha;
	double		log_beta;
} Shape;

/*
 * n ln(1 + alpha/tau) + r ln(1 + tau/alpha) at v = ln tau, and *beta_term = ln(1 + tau/beta).
 * With d = v - ln alpha: ln(1 + alpha/tau) = softplus(-d) and ln(1 + tau/alpha) = softplus(d),
 * which differ by d; one log1p(e^-|d|) gives both.
 */
static inline double
softplus_terms(const Shape *sh, double v, double *beta_term)
{
	double		da = v - sh->log_alpha,
				db = v - sh->log_beta,
				la = log1p(exp(-fabs(da)));

	*beta_term = log1p(exp(-fabs(db))) + (db > 0.0 ? db : 0.0);
	return (sh->n + sh->r) * la + (da > 0.0 ? sh->r * da : -sh->n * da);
}

static inline double
psi(const Shape *sh, double v)
{
	double		lb,
				na = softplus_terms(sh, v, &lb);

	return v - na - sh->s1 * lb;
}

/* psi'(v) in *d1 and -psi''(v) (> 0) in *d2. */
static void
psi_slopes(const Shape *sh, double v, double *d1, double *d2)
{
	double		ea = exp(-fabs(v - sh->log_alpha)),
				eb = exp(-fabs(v - sh->log_beta)),
				a,				/* tau / (alpha + tau) */
				ca,				/* alpha / (alpha + tau) */
				b,
				cb;

	if (v > sh->log_alpha)
	{
		a = 1.0 / (1.0 + ea);
		ca = ea / (1.0 + ea);
	}
	else
	{
		a = ea / (1.0 + ea);
		ca = 1.0 / (1.0 + ea);
	}
	if (v > sh->log_beta)
	{
		b = 1.0 / (1.0 + eb);
		cb = eb / (1.0 + eb);
	}
	else
	{
		b = eb / (1.0 + eb);
		cb = 1.0 / (1.0 + eb);
	}
	*d1 = 1.0 + sh->n * ca - sh->r * a - sh->s1 * b;
	*d2 = (sh->n + sh->r) * a * ca + sh->s1 * b * cb;
}

/*
 * The root of psi' in (lo, hi), given psi'(lo) > 0 > psi'(hi): Newton's steps from start, a
 * bisection whenever a step leaves the bracket or shrinks by less than half (where a term of
 * psi grows exponentially in v, as with s huge and beta tiny, Newton crawls a unit of v a step
 * and would end its iterations far from the peak: bisection halves the bracket instead).
 */
static double
mode_of(const Shape *sh, double lo, double hi, double start)
{
	double		v = (start > lo && start < hi) ? start : 0.5 * (lo + hi);
	double		last_step = hi - lo;

	for (int it = 0; it < 200; it++)
	{
		double		d1,
					d2,
					next;

		psi_slopes(sh, v, &d1, &d2);
		if (d1 > 0.0)
			lo = v;
		else if (d1 < 0.0)
			hi = v;
		else
			return v;
		next = d2 > 0.0 ? v + d1 / d2 : 0.5 * (lo + hi);
		if (!(next > lo && next < hi) || !(fabs(next - v) <= 0.5 * last_step))
			next = 0.5 * (lo + hi);
		last_step = fabs(next - v);
		if (fabs(next - v) <= 1e-13 * fmax(1.0, fabs(v)) || !(hi - lo > 1e-13 * fmax(1.0, fabs(v))))
			return next;
		v = next;
	}
	return v;
}

/*
 * Where psi has fallen TAIL_DROP below top, from the peak m in direction dir (-1 or 1), in steps
 * that double from step; on the right no further than limit.  psi falls at least linearly away
 * from its peak (it is concave), so a few dozen doublings reach it.
 */
static double
tail_cut(const Shape *sh, double m, double top, int dir, double step, double limit)
{
	double		v = m;

	for (int i = 0; i < 64; i++)
	{
		v = m + dir * step;
		if (dir > 0 && v >= limit)
			return limit;
		if (!(psi(sh, v) > top - TAIL_DROP))
			return v;
		step *= 2.0;
	}
	return v;
}

/* The 21-point Gauss-Kronrod rule and its embedded 10-point Gauss rule (QUADPACK's qk21). */
static const double xgk[11] = {
	0.995657163025808080735527280689003,
	0.973906528517171720077964012084452,
	0.930157491355708226001207180059508,
	0.865063366688984510732096688423493,
	0.780817726586416897063717578345042,
	0.679409568299024406234327365114874,
	0.562757134668604683339000099272694,
	0.433395394129247190799265943165784,
	0.294392862701460198131126603103866,
	0.148874338981631210884826001129720,
	0.0
};
static const double wgk[11] = {
	0.011694638867371874278064396062192,
	0.032558162307964727478818972459390,
	0.054755896574351996031381300244580,
	0.075039674810919952767043140916190,
	0.093125454583697605535065465083366,
	0.109387158802297641899210590325805,
	0.123491976262065851077208977211280,
	0.134709217311473325928054001771707,
	0.142775938577060080797094273138717,
	0.147739104901338491374841515972068,
	0.149445554002916905664936468389821
};
static const double wg[5] = {	/* at xgk[1], xgk[3], ..., xgk[9] */
	0.066671344308688137593568809893332,
	0.149451349150580593145776339657697,
	0.219086362515982043995534934228163,
	0.269266719309996355091226921569469,
	0.295524224714752870173892994651338
};

typedef struct Panel
{
	double		a;
	double		b;
	double		value;			/* the Kronrod value of int_a^b e^(psi - top) */
	double		error;			/* |Kronrod - Gauss| */
} Panel;

static void
gauss_kronrod(const Shape *sh, double top, Panel *p)
{
	double		c = 0.5 * (p->a + p->b),
				h = 0.5 * (p->b - p->a),
				k = wgk[10] * exp(psi(sh, c) - top),
				g = 0.0;

	for (int i = 0; i < 10; i++)
	{
		double		x = h * xgk[i],
					f = exp(psi(sh, c - x) - top) + exp(psi(sh, c + x) - top);

		k += wgk[i] * f;
		if (i % 2 == 1)
			g += wg[i / 2] * f;
	}
	p->value = k * h;
	p->error = fabs(k - g) * h;
}

/*
 * int e^(psi - top) over [breaks[0], breaks[count]], the breaks being the first panels, to the
 * relative tolerance.
 */
static double
integrate(const Shape *sh, double top, const double *breaks, int count, double tolerance)
{
	Panel		panels[BTYD_PNBD_PROB_MAX_PANELS];
	double		total = 0.0;
	int			used = 0;

	for (int i = 0; i < count; i++)
	{
		panels[used].a = breaks[i];
		panels[used].b = breaks[i + 1];
		gauss_kronrod(sh, top, &panels[used]);
		used++;
	}
	for (;;)
	{
		double		error = 0.0;
		int			worst = 0;

		total = 0.0;
		for (int i = 0; i < used; i++)
		{
			total += panels[i].value;
			error += panels[i].error;
			if (panels[i].error > panels[worst].error)
				worst = i;
		}
		if (error <= tolerance * total || used == BTYD_PNBD_PROB_MAX_PANELS)
			break;
		panels[used].a = 0.5 * (panels[worst].a + panels[worst].b);
		panels[used].b = panels[worst].b;
		panels[worst].b = panels[used].a;
		gauss_kronrod(sh, top, &panels[worst]);
		gauss_kronrod(sh, top, &panels[used]);
		used++;
	}
	return total;
}

double
btyd_pnbd_prob_purchases(const double *params, int32_t n, double t)
{
	double		r = params[0],
				alpha = params[1],
				s = params[2],
				beta = params[3];
	Shape		sh = {n, r, s + 1.0, log(alpha), log(beta)};
	double		log_t,
				coefficient,
				lb,
				log_alive,
				m,
				d1,
				d2,
				top,
				step,
				breaks[3],
				noise,
				log_dead,
				v;
	int			count = 0;

	if (!(t > 0.0))
		return n == 0 ? 1.0 : 0.0;
	log_t = log(t);
	coefficient = btyd_log_nb_coefficient(r, n);

	/* Alive at t: NB(n; t) (beta/(beta+t))^s. */
	log_alive = coefficient - softplus_terms(&sh, log_t, &lb);
	log_alive -= s * lb;

	/*
	 * Dead before t: the peak of psi in (-inf, ln t].  Left of lo, psi' > 0: tau/alpha and
	 * tau/beta are so small there that r a < 1/2 and (s+1) b < 1/2.
	 */
	psi_slopes(&sh, log_t, &d1, &d2);
	if (d1 >= 0.0)
		m = log_t;
	else
	{
		double		lo = fmin(sh.log_alpha, sh.log_beta) - 1.0 - log(2.0) -
			fmax(log(r), log(sh.s1));

		/* the mode of the first two factors alone, tau = alpha (n+1)/(r-1), as a start */
		m = mode_of(&sh, lo, log_t,
					sh.log_alpha + log(n + 1.0) - log(fmax(r - 1.0, 1.0)));
		psi_slopes(&sh, m, &d1, &d2);
	}
	top = psi(&sh, m);
	/*
	 * The scale of the peak: its width, or the slope's when it sits at the end; at most 1, as
	 * psi may be almost flat (r + s near 0, tau far beyond alpha and beta).
	 */
	step = fmin(1.0, 1.0 / sqrt(d2 + d1 * d1));
	breaks[count++] = tail_cut(&sh, m, top, -1, step, log_t);
	breaks[count] = m;
	if (m < log_t)
		breaks[++count] = tail_cut(&sh, m, top, 1, step, log_t);
	/* psi's terms at the peak: their size sets how many of its digits are rounding */
	noise = 2.0 * DBL_EPSILON * (fabs(m) + softplus_terms(&sh, m, &lb) + sh.s1 * lb);
	log_dead = coefficient + log(s) - sh.log_beta + top +
		log(integrate(&sh, top, breaks, count, fmax(TOLERANCE, noise)));

	v = exp(log_alive) + exp(log_dead);
	/* a probability, whatever rounding did to its parts; NaN would be a bug, never an answer */
	if (isnan(v))
		return NAN;
	return v > 1.0 ? 1.0 : v;
}
