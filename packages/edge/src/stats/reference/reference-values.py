#!/usr/bin/env python3
"""Reference values for the stats tests, computed independently of the TypeScript code.

Only the Python 3 standard library (no scipy on this machine): math.erfc / math.lgamma (C library),
statistics.NormalDist (inv_cdf is Wichura's AS241), closed forms of the chi-square tail for integer
degrees of freedom, and numerical integration of P(B > A) with the Beta CDF written as a binomial tail.
Run: python3 packages/edge/src/stats/reference/reference-values.py
"""
import math
from statistics import NormalDist

N = NormalDist()

def chisq_sf(x, df):
    """Closed forms: even df -> Poisson sum; odd df -> erfc plus a finite series (Abramowitz & Stegun 26.4.4/26.4.5)."""
    if df % 2 == 0:
        return math.exp(-x / 2) * sum((x / 2) ** j / math.factorial(j) for j in range(df // 2))
    s, term = 0.0, math.sqrt(2 * x / math.pi)
    for j in range(1, (df - 1) // 2 + 1):
        s += term
        term *= x / (2 * j + 1)
    return math.erfc(math.sqrt(x / 2)) + math.exp(-x / 2) * s

def beta_pdf(x, a, b):
    return math.exp((a - 1) * math.log(x) + (b - 1) * math.log1p(-x) - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)))

def beta_cdf_int(x, a, b):
    """I_x(a, b) for integer a, b: P(Binomial(a + b - 1, x) >= a)."""
    n = a + b - 1
    lx, l1x = math.log(x), math.log1p(-x)
    return sum(math.exp(math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1) + j * lx + (n - j) * l1x) for j in range(a, n + 1))

def chance_to_beat(ca, na, cb, nb, steps=4000):
    """P(p_B > p_A) = ∫ f_B(x) F_A(x) dx by Simpson's rule over B's bulk (±14 sd, clipped to (0, 1))."""
    aA, bA, aB, bB = 1 + ca, 1 + na - ca, 1 + cb, 1 + nb - cb
    m = aB / (aB + bB)
    sd = math.sqrt(aB * bB / ((aB + bB) ** 2 * (aB + bB + 1)))
    lo, hi = max(1e-12, m - 14 * sd), min(1 - 1e-12, m + 14 * sd)
    h = (hi - lo) / steps
    f = lambda x: beta_pdf(x, aB, bB) * beta_cdf_int(x, aA, bA)
    s = f(lo) + f(hi) + sum((4 if i % 2 else 2) * f(lo + i * h) for i in range(1, steps))
    return s * h / 3

def z_test(c1, n1, c2, n2):
    p1, p2, p = c1 / n1, c2 / n2, (c1 + c2) / (n1 + n2)
    z = (p2 - p1) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return z, 2 * (1 - N.cdf(abs(z))) if abs(z) < 5 else math.erfc(abs(z) / math.sqrt(2))

print('normal cdf', {z: N.cdf(z) for z in (-1.959963984540054, 0.0, 1.0, 2.5)}, 'sf via erfc', {z: 0.5 * math.erfc(z / math.sqrt(2)) for z in (5.0, 8.0, 10.0)})
print('normal quantile', {p: N.inv_cdf(p) for p in (0.975, 0.995, 0.5, 0.001, 1e-10, 0.9999)})
print('erfc', {x: math.erfc(x) for x in (0.0, 0.5, 1.0, 2.0, -1.0, 4.0)})
print('lgamma', {x: math.lgamma(x) for x in (0.5, 1.0, 3.5, 10.0, 100.5, 1e5)})
print('chisq sf', {(x, df): chisq_sf(x, df) for x, df in ((3.841458820694124, 1), (10.827566170662733, 1), (1.0, 1), (5.0, 2), (7.5, 3), (20.0, 4), (0.3, 5), (12.0, 6))})
for args in ((15, 50, 25, 50), (500, 10000, 560, 10000), (48, 1000, 50, 1000), (30, 1200, 55, 1180)):
    print('z test', args, z_test(*args))
for args in ((10, 100, 15, 100), (48, 1000, 50, 1000), (0, 10, 1, 10), (30, 1200, 55, 1180), (5, 20, 2, 20)):
    print('chance to beat', args, chance_to_beat(*args))
