package com.emotionmonitor.job.drift;

/**
 * Jensen-Shannon divergence in bits: {@code JS(p, q) = (KL(p || m) + KL(q || m)) / 2} with {@code m = (p + q) / 2}.
 * Why this one for drift: it is symmetric, always finite (an emotion the reference never saw does not make it
 * infinite, as KL would), and bounded by [0, 1] in base 2, so one threshold reads the same for any mix. For small
 * shifts it is about {@code chi^2 / (8 n ln 2)}: a window of n posts drawn from the reference itself scores about
 * {@code 5 / (8 n ln 2)} on average (0.03 at 30 posts, 0.009 at 100), which is the noise a threshold must clear.
 */
public final class JensenShannon {

    private JensenShannon() {}

    /**
     * @param p shares summing to 1 (or counts: both are normalised)
     * @param q shares of the same length
     */
    public static double divergence(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("distributions of " + p.length + " and " + q.length + " classes");
        }
        double sp = sum(p);
        double sq = sum(q);
        if (!(sp > 0) || !(sq > 0)) {
            throw new IllegalArgumentException("an empty distribution has no divergence");
        }
        double js = 0;
        for (int i = 0; i < p.length; i++) {
            double a = p[i] / sp;
            double b = q[i] / sq;
            double m = (a + b) / 2;
            js += term(a, m) + term(b, m);
        }
        return Math.max(0, Math.min(1, js / 2 / Math.log(2)));
    }

    private static double term(double x, double m) {
        return x > 0 ? x * Math.log(x / m) : 0;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            if (x < 0 || Double.isNaN(x)) {
                throw new IllegalArgumentException("a share must be >= 0: " + x);
            }
            s += x;
        }
        return s;
    }
}
