package com.emotionmonitor.train.ngram;

/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.4) with a backtracking Armijo line search. Meant
 * for smooth convex objectives such as L2-regularised logistic regression, where every step's curvature
 * s.y is positive; updates with non-positive curvature are skipped anyway. Deterministic.
 */
final class Lbfgs {

    /** Why a run stopped. */
    enum Stop {
        /** max |gradient| fell to the tolerance. */
        GRADIENT,
        /** The relative decrease of f fell below {@link #F_TOLERANCE}. */
        NO_PROGRESS,
        /** The line search found no decrease: at the floating-point limit of the optimum. */
        LINE_SEARCH,
        ITERATIONS
    }

    record Result(double[] x, double value, double gradientMaxNorm, int iterations, int evaluations, Stop stop) {}

    /** Called after each iteration; lets a caller log progress. */
    interface Listener {
        void iteration(int iteration, double value, double gradientMaxNorm);
    }

    /** scipy's L-BFGS-B stops on this relative decrease with sklearn's settings (64 machine epsilons). */
    static final double F_TOLERANCE = 64 * Math.ulp(1.0);
    private static final double ARMIJO = 1e-4;
    private static final int MAX_BACKTRACKS = 40;

    private final int history;
    private final int maxIterations;
    private final double gradientTolerance;

    /**
     * @param history pairs (s, y) kept (5-20 is usual)
     * @param maxIterations iteration cap (each iteration costs one or a few evaluations)
     * @param gradientTolerance stop when max |gradient| is at most this
     */
    Lbfgs(int history, int maxIterations, double gradientTolerance) {
        if (history < 1 || maxIterations < 0 || !(gradientTolerance >= 0)) {
            throw new IllegalArgumentException("need history >= 1, maxIterations >= 0, gradientTolerance >= 0");
        }
        this.history = history;
        this.maxIterations = maxIterations;
        this.gradientTolerance = gradientTolerance;
    }

    Result minimize(DifferentiableFunction f, double[] start, Listener listener) {
        int n = f.dimension();
        if (start.length != n) {
            throw new IllegalArgumentException("start has " + start.length + " entries, the function takes " + n);
        }
        double[] x = start.clone();
        double[] g = new double[n];
        double fx = f.valueAndGradient(x, g);
        int evaluations = 1;
        double[][] s = new double[history][];
        double[][] y = new double[history][];
        double[] rho = new double[history];
        double[] alpha = new double[history];
        int stored = 0;
        int newest = -1;
        double[] d = new double[n];
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        int iteration = 0;
        Stop stop = Stop.ITERATIONS;
        while (true) {
            double gMax = maxAbs(g);
            if (gMax <= gradientTolerance) {
                stop = Stop.GRADIENT;
                break;
            }
            if (iteration >= maxIterations) {
                break;
            }
            // Two-loop recursion: d = -H g.
            for (int i = 0; i < n; i++) {
                d[i] = -g[i];
            }
            for (int k = 0; k < stored; k++) {
                int j = Math.floorMod(newest - k, history);
                alpha[j] = rho[j] * dot(s[j], d);
                axpy(-alpha[j], y[j], d);
            }
            double initialStep = 1;
            if (stored > 0) {
                double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
                scale(d, gamma);
            } else {
                initialStep = Math.min(1, 1 / Math.max(1e-12, norm(g))); // first step: a unit move at most
            }
            for (int k = stored - 1; k >= 0; k--) {
                int j = Math.floorMod(newest - k, history);
                double beta = rho[j] * dot(y[j], d);
                axpy(alpha[j] - beta, s[j], d);
            }
            double slope = dot(g, d);
            if (!(slope < 0)) { // not a descent direction (numerical trouble): restart from steepest descent
                stored = 0;
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i];
                }
                slope = -dot(g, g);
                initialStep = Math.min(1, 1 / Math.max(1e-12, norm(g)));
            }
            // Backtracking line search on the Armijo condition.
            double step = initialStep;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int b = 0; b < MAX_BACKTRACKS; b++) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + step * d[i];
                }
                fNew = f.valueAndGradient(xNew, gNew);
                evaluations++;
                if (fNew <= fx + ARMIJO * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                stop = Stop.LINE_SEARCH;
                break;
            }
            iteration++;
            // Keep the pair (s, y) when its curvature is positive, reusing the oldest arrays once full.
            double sy = 0;
            double yy = 0;
            for (int i = 0; i < n; i++) {
                double si = xNew[i] - x[i];
                double yi = gNew[i] - g[i];
                sy += si * yi;
                yy += yi * yi;
            }
            if (sy > 1e-12 * yy && sy > 0) {
                int slot = (newest + 1) % history;
                if (s[slot] == null) {
                    s[slot] = new double[n];
                    y[slot] = new double[n];
                }
                for (int i = 0; i < n; i++) {
                    s[slot][i] = xNew[i] - x[i];
                    y[slot][i] = gNew[i] - g[i];
                }
                rho[slot] = 1 / sy;
                newest = slot;
                stored = Math.min(stored + 1, history);
            }
            double fOld = fx;
            double[] t = x;
            x = xNew;
            xNew = t;
            t = g;
            g = gNew;
            gNew = t;
            fx = fNew;
            if (listener != null) {
                listener.iteration(iteration, fx, maxAbs(g));
            }
            if ((fOld - fx) / Math.max(Math.max(Math.abs(fOld), Math.abs(fx)), 1) <= F_TOLERANCE) {
                stop = Stop.NO_PROGRESS;
                break;
            }
        }
        return new Result(x, fx, maxAbs(g), iteration, evaluations, stop);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static void scale(double[] x, double a) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= a;
        }
    }

    private static double norm(double[] x) {
        return Math.sqrt(dot(x, x));
    }

    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
