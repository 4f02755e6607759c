#!/usr/bin/python3
"""The BG/NBD fit a Python user writes with scipy: the comparison side of bench/btyd.sql (b).

Reads customers' (x, t_x, T) from a CSV file without header (as COPY ... (FORMAT csv) writes
them), fits the BG/NBD by maximum likelihood the straightforward way -- the vectorised
log-likelihood of the lifetimes package (Fader, Hardie & Lee 2005, eq. 6, with gammaln), on
log-parameters, scipy.optimize.minimize with its default method for an unconstrained problem
(BFGS, gradients by finite differences), from 3 starting points, the best kept -- and prints one
line: r alpha a b ll seconds evaluations customers. seconds times the fit alone (not reading the
file). Run with Debian's python3-scipy: /usr/bin/python3 bench/btyd_scipy.py file.csv.
"""
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln


def negative_log_likelihood(log_params, x, t_x, T):
    r, alpha, a, b = np.exp(log_params)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x)
    top = np.maximum(a3, a4)
    ll = a1 + a2 + top + np.log(np.exp(a3 - top) + (x > 0) * np.exp(a4 - top))
    return -ll.mean()


def fit(x, t_x, T):
    """The best of 3 starts: all ones (lifetimes' default), and two around the data's time scale."""
    scale = T.mean()
    starts = [(1.0, 1.0, 1.0, 1.0), (0.5, scale, 0.5, 2.0), (2.0, scale / 10.0, 2.0, 5.0)]
    best = None
    evaluations = 0
    for start in starts:
        result = minimize(negative_log_likelihood, np.log(start), args=(x, t_x, T))
        evaluations += result.nfev
        if np.isfinite(result.fun) and (best is None or result.fun < best.fun):
            best = result
    return best, evaluations


def main():
    data = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
    x, t_x, T = data[:, 0], data[:, 1], data[:, 2]
    started = time.perf_counter()
    best, evaluations = fit(x, t_x, T)
    seconds = time.perf_counter() - started
    r, alpha, a, b = np.exp(best.x)
    ll = -best.fun * len(x)
    print(" ".join(repr(float(v)) for v in (r, alpha, a, b, ll, seconds)), evaluations, len(x))


if __name__ == "__main__":
    main()
