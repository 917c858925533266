"""Fits the rational tanh of assembly/kernels/math.ts and prints its float32 coefficients.

tanh(x) = x * P(x^2) / Q(x^2) for |x| <= CLAMP (beyond it float32's tanh is +-1), with P and Q of
degree 4 and Q's constant term 1: the minimax relative error is found by Lawson's iteratively
reweighted least squares on the linearised error (P - f Q) / (f Q_previous), f = tanh(x)/x.
The printed errors are of the float32 evaluation (coefficients rounded, Horner's scheme rounded at
every step, with and without fused multiply-adds), against float64, over a dense grid.
Run: /usr/bin/python3 scripts/fit-tanh.py   (numpy only)
"""
import numpy as np

CLAMP = 9.0
DEGREE = 4


def fit():
    # Chebyshev-spaced points in s = x^2 scaled to t in [0, 1], where the error oscillates.
    t = (1 - np.cos(np.linspace(0, np.pi, 40001))) / 2
    x = np.sqrt(t) * CLAMP
    f = np.where(x > 0, np.tanh(x) / np.where(x > 0, x, 1), 1.0)
    powers = np.vander(t, DEGREE + 1, increasing=True)
    weights = np.full(t.size, 1.0 / t.size)
    q_prev = np.ones_like(t)
    for _ in range(300):
        scale = np.sqrt(weights) / (f * q_prev)
        # Unknowns p0..p4, q1..q4: P(t) - f (1 + q1 t + ...) = 0 in the weighted least-squares sense.
        a = np.hstack([powers, -f[:, None] * powers[:, 1:]]) * scale[:, None]
        b = f * scale
        coef = np.linalg.lstsq(a, b, rcond=None)[0]
        p, q = coef[: DEGREE + 1], np.concatenate([[1.0], coef[DEGREE + 1 :]])
        q_prev = powers @ q
        error = np.abs((powers @ p) / q_prev - f) / f
        weights = weights * error
        weights /= weights.sum()
    # Back from t = s / CLAMP^2 to s.
    s_scale = CLAMP ** (-2.0 * np.arange(DEGREE + 1))
    return p * s_scale, q * s_scale


def evaluate(p, q, x, fused):
    """tanh in float32 as the kernel computes it: Horner in s = x*x, then x * P / Q."""
    f32 = np.float32
    madd = (lambda a, b, c: f32(np.float64(a) * np.float64(b) + np.float64(c))) if fused else (lambda a, b, c: f32(f32(a * b) + c))
    x = np.clip(x, f32(-CLAMP), f32(CLAMP)).astype(f32)
    s = f32(x * x)
    num = np.full_like(x, p[-1])
    den = np.full_like(x, q[-1])
    for k in range(DEGREE - 1, -1, -1):
        num = madd(num, s, p[k]).astype(f32)
        den = madd(den, s, q[k]).astype(f32)
    return f32(f32(x * num) / den)


def main():
    p, q = fit()
    p32, q32 = p.astype(np.float32), q.astype(np.float32)
    x = np.concatenate([np.linspace(-12, 12, 2_000_001), np.geomspace(1e-30, 12, 200_000)]).astype(np.float32)
    exact = np.tanh(x.astype(np.float64))
    for fused in (False, True):
        y = evaluate(p32, q32, x, fused).astype(np.float64)
        rel = np.max(np.abs(y - exact) / np.maximum(np.abs(exact), 1e-300))
        print(f"{'fused' if fused else 'unfused'}: max relative error {rel:.3e}, max absolute {np.max(np.abs(y - exact)):.3e}")
    for name, c in (("P", p32), ("Q", q32)):
        print(name, ", ".join(f"{v:.9g}" for v in c))


if __name__ == "__main__":
    main()
