package com.emotionmonitor.model.ngram;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Locale;

/**
 * How the IDF table and the weights are stored. A classifier holds exactly the values its format can
 * store (see {@link #round(float[])}), so a saved and reloaded model predicts bit for bit the same.
 */
public enum WeightFormat {
    /** IEEE binary32: exact. */
    F32(0, 4),
    /** IEEE binary16: half the size, about 3 significant digits (round to nearest even). */
    F16(1, 2);

    private final int code;
    private final int bytes;

    WeightFormat(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The number a file records for this format. */
    public int code() {
        return code;
    }

    int bytesPerValue() {
        return bytes;
    }

    public static WeightFormat ofCode(int code) {
        for (WeightFormat f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown weight format code " + code);
    }

    /** Parses {@code f32} / {@code f16} (any case). */
    public static WeightFormat parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("weight format must be f32 or f16: '" + s + "'");
        }
    }

    /** Writes one value in this format (big-endian, as {@link DataOutput} does). */
    public void write(DataOutput out, float value) throws IOException {
        if (this == F16) {
            out.writeShort(Half.fromFloat(value));
        } else {
            out.writeFloat(value);
        }
    }

    /** Reads one value written by {@link #write}. */
    public float read(DataInput in) throws IOException {
        return this == F16 ? Half.toFloat(in.readShort()) : in.readFloat();
    }

    /** Rounds every value to what this format stores, in place; returns the array. */
    public float[] round(float[] values) {
        if (this == F16) {
            for (int i = 0; i < values.length; i++) {
                values[i] = Half.toFloat(Half.fromFloat(values[i]));
            }
        }
        return values;
    }

    /** The float of an IEEE 754 binary16 value (e.g. a float16 tensor read from another framework's file). */
    public static float float16ToFloat(short bits) {
        return Half.toFloat(bits);
    }

    /** IEEE 754 binary16 conversion (Java 17 has no Float.floatToFloat16). */
    static final class Half {

        private Half() {}

        static short fromFloat(float f) {
            int bits = Float.floatToRawIntBits(f);
            int sign = (bits >>> 16) & 0x8000;
            int exp = (bits >>> 23) & 0xFF;
            int mant = bits & 0x7FFFFF;
            if (exp == 0xFF) { // Inf or NaN (keep NaN a NaN)
                return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 : 0));
            }
            int e = exp - 127 + 15;
            if (e >= 0x1F) { // overflow -> Inf
                return (short) (sign | 0x7C00);
            }
            if (e <= 0) { // subnormal half or zero
                if (e < -10) {
                    return (short) sign;
                }
                int m = mant | 0x800000;
                int shift = 14 - e;
                int half = m >> shift;
                int rest = m & ((1 << shift) - 1);
                int midpoint = 1 << (shift - 1);
                if (rest > midpoint || (rest == midpoint && (half & 1) != 0)) {
                    half++;
                }
                return (short) (sign | half);
            }
            int half = (e << 10) | (mant >> 13);
            int rest = mant & 0x1FFF;
            if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
                half++; // may carry into the exponent, which is the correct rounding (up to Inf)
            }
            return (short) (sign | half);
        }

        static float toFloat(short h) {
            int bits = h & 0xFFFF;
            int sign = (bits & 0x8000) << 16;
            int exp = (bits >>> 10) & 0x1F;
            int mant = bits & 0x3FF;
            if (exp == 0) {
                if (mant == 0) {
                    return Float.intBitsToFloat(sign);
                }
                return (sign != 0 ? -1f : 1f) * mant * 0x1p-24f;
            }
            if (exp == 0x1F) {
                return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
            }
            return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
        }
    }
}
