package com.emotionmonitor.model.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WeightFormatTest {

    @Test
    void halfPrecisionEncodesKnownValues() {
        assertEquals((short) 0x3C00, WeightFormat.Half.fromFloat(1f));
        assertEquals((short) 0xC000, WeightFormat.Half.fromFloat(-2f));
        assertEquals((short) 0x7BFF, WeightFormat.Half.fromFloat(65504f));
        assertEquals((short) 0x7C00, WeightFormat.Half.fromFloat(1e6f), "overflow becomes infinity");
        assertEquals((short) 0x0001, WeightFormat.Half.fromFloat(0x1p-24f), "smallest subnormal");
        assertEquals((short) 0x0000, WeightFormat.Half.fromFloat(0x1p-26f), "underflow becomes zero");
        assertEquals((short) 0x3C00, WeightFormat.Half.fromFloat(1 + 0x1p-11f), "a tie rounds to even (down)");
        assertEquals((short) 0x3C02, WeightFormat.Half.fromFloat(1 + 3 * 0x1p-11f), "a tie rounds to even (up)");
        assertTrue(Float.isNaN(WeightFormat.Half.toFloat(WeightFormat.Half.fromFloat(Float.NaN))));
    }

    @Test
    void everyFiniteHalfRoundTripsExactly() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            float f = WeightFormat.Half.toFloat(h);
            if (!Float.isNaN(f)) {
                assertEquals(h, WeightFormat.Half.fromFloat(f), "half 0x" + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void roundingIsIdempotentAndCloseEnough() {
        float[] v = {0.1234567f, -3.3333f, 1e-5f, 7.75f};
        float[] once = WeightFormat.F16.round(v.clone());
        float[] twice = WeightFormat.F16.round(once.clone());
        for (int i = 0; i < v.length; i++) {
            assertEquals(once[i], twice[i]);
            assertEquals(v[i], once[i], Math.abs(v[i]) * 1e-3 + 1e-7);
        }
        float[] exact = WeightFormat.F32.round(v.clone());
        assertEquals(v[0], exact[0]);
        assertEquals(WeightFormat.F16, WeightFormat.parse(" f16 "));
        assertThrows(IllegalArgumentException.class, () -> WeightFormat.parse("int8"));
    }
}
