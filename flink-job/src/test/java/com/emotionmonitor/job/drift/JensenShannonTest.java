package com.emotionmonitor.job.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JensenShannonTest {

    private static final double[] USUAL_TRAIN = {0.19, 0.30, 0.18, 0.04, 0.08, 0.21};

    @Test
    void zeroForTheSameMixOneForDisjointOnesSymmetricAndFinite() {
        assertEquals(0, JensenShannon.divergence(USUAL_TRAIN, USUAL_TRAIN), 1e-15);
        assertEquals(0, JensenShannon.divergence(new double[] {19, 30, 18, 4, 8, 21}, USUAL_TRAIN), 1e-12, "counts are normalised");
        assertEquals(1, JensenShannon.divergence(new double[] {1, 0, 0, 0, 0, 0}, new double[] {0, 0, 0, 0, 0, 1}), 1e-12);
        double[] angry = {0.10, 0.65, 0.08, 0.03, 0.04, 0.10};
        assertEquals(JensenShannon.divergence(angry, USUAL_TRAIN), JensenShannon.divergence(USUAL_TRAIN, angry), 1e-15);
        double js = JensenShannon.divergence(new double[] {0, 1, 0, 0, 0, 0}, USUAL_TRAIN);
        assertTrue(js > 0.3 && js < 1, "an emotion the reference hardly has is far, yet finite: " + js);
        // By hand: p = (1, 0), q = (1/2, 1/2): m = (3/4, 1/4); JS = (log2(4/3) + (1/2) log2(2/3) + (1/2) log2(2)) / 2.
        double expected = (Math.log(4.0 / 3) + 0.5 * Math.log(2.0 / 3) + 0.5 * Math.log(2)) / 2 / Math.log(2);
        assertEquals(expected, JensenShannon.divergence(new double[] {1, 0}, new double[] {0.5, 0.5}), 1e-12);
    }

    @Test
    void refusesWhatIsNoDistribution() {
        assertThrows(IllegalArgumentException.class, () -> JensenShannon.divergence(new double[6], USUAL_TRAIN));
        assertThrows(IllegalArgumentException.class, () -> JensenShannon.divergence(new double[] {1, 2}, USUAL_TRAIN));
        assertThrows(IllegalArgumentException.class, () -> JensenShannon.divergence(new double[] {-1, 2}, new double[] {1, 1}));
    }
}
