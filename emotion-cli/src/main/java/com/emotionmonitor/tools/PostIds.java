package com.emotionmonitor.tools;

/**
 * The ids {@link PostProducer} gives its posts and {@link EventAudit} expects back: {@code <prefix><index>} for
 * {@code first <= index < first + count}. A run picks a fresh prefix, so earlier runs on the same topics never count.
 */
public record PostIds(String prefix, long first, long count) {

    public PostIds {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("the id prefix is empty");
        }
        if (first < 0 || count < 0) {
            throw new IllegalArgumentException("first index and count must be >= 0, got " + first + " and " + count);
        }
    }

    public String id(long index) {
        return prefix + index;
    }

    /** The index of {@code id} if it carries this prefix and a number, else -1 (another run's or another producer's post). */
    public long indexOf(String id) {
        if (id == null || !id.startsWith(prefix) || id.length() == prefix.length()) {
            return -1;
        }
        String digits = id.substring(prefix.length());
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return -1;
            }
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public boolean inRange(long index) {
        return index >= first && index < first + count;
    }
}
