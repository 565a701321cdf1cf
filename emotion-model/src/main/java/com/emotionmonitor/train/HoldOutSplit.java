package com.emotionmonitor.train;

import com.emotionmonitor.data.LabeledPost;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A development split carved out of a training file by content, so it needs no stored file and the data
 * stays in ../shared/data: a post is held out when {@code sha256(UTF-8 content) mod 10 == 0}. Hashing the
 * text keeps exact duplicates (virus_train has 877 extra copies) on one side of the split.
 */
public final class HoldOutSplit {

    public static final int MODULUS = 10;
    /** How the split is made, in words, for manifests. */
    public static final String RULE = "posts with sha256(UTF-8 content) mod " + MODULUS + " == 0";

    private static final BigInteger M = BigInteger.valueOf(MODULUS);

    private HoldOutSplit() {}

    public static boolean isHeldOut(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, digest).mod(M).signum() == 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static List<LabeledPost> heldOut(List<LabeledPost> posts) {
        return posts.stream().filter(p -> isHeldOut(p.content())).toList();
    }

    public static List<LabeledPost> kept(List<LabeledPost> posts) {
        return posts.stream().filter(p -> !isHeldOut(p.content())).toList();
    }
}
