package com.emotionmonitor.train.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LbfgsTest {

    /** Rosenbrock's valley: minimum 0 at (1, 1), badly conditioned, a classic optimiser test. */
    private static final DifferentiableFunction ROSENBROCK = new DifferentiableFunction() {
        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public double valueAndGradient(double[] x, double[] g) {
            double a = 1 - x[0];
            double b = x[1] - x[0] * x[0];
            g[0] = -2 * a - 400 * x[0] * b;
            g[1] = 200 * b;
            return a * a + 100 * b * b;
        }
    };

    @Test
    void findsTheRosenbrockMinimum() {
        Lbfgs.Result r = new Lbfgs(5, 500, 1e-6).minimize(ROSENBROCK, new double[] {-1.2, 1}, null);
        assertTrue(r.stop() == Lbfgs.Stop.GRADIENT || r.stop() == Lbfgs.Stop.NO_PROGRESS, "converged, not " + r.stop());
        assertEquals(1, r.x()[0], 1e-5);
        assertEquals(1, r.x()[1], 1e-5);
        assertTrue(r.value() < 1e-10, "f = " + r.value());
        assertTrue(r.iterations() < 200, "L-BFGS needs a few dozen iterations here, took " + r.iterations());
    }

    @Test
    void solvesAnIllConditionedQuadratic() {
        double[] scale = {1, 10, 100, 1000, 1e4};
        DifferentiableFunction f = new DifferentiableFunction() {
            @Override
            public int dimension() {
                return scale.length;
            }

            @Override
            public double valueAndGradient(double[] x, double[] g) {
                double v = 0;
                for (int i = 0; i < x.length; i++) {
                    double d = x[i] - i;
                    v += 0.5 * scale[i] * d * d;
                    g[i] = scale[i] * d;
                }
                return v;
            }
        };
        Lbfgs.Result r = new Lbfgs(10, 1000, 1e-9).minimize(f, new double[5], null);
        for (int i = 0; i < 5; i++) {
            assertEquals(i, r.x()[i], 1e-9);
        }
    }

    @Test
    void stopsAtTheIterationCap() {
        Lbfgs.Result r = new Lbfgs(5, 3, 0).minimize(ROSENBROCK, new double[] {-1.2, 1}, null);
        assertEquals(Lbfgs.Stop.ITERATIONS, r.stop());
        assertEquals(3, r.iterations());
    }
}
