package com.emotionmonitor.train;

import com.emotionmonitor.data.LabeledPost;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

    /** A file's posts on the two sides of the split, each side in file order. */
    public record Parts(List<LabeledPost> kept, List<LabeledPost> heldOut) {}

    /** Splits the posts, hashing each text once. */
    public static Parts split(List<LabeledPost> posts) {
        Map<Boolean, List<LabeledPost>> sides = posts.stream().collect(Collectors.partitioningBy(p -> isHeldOut(p.content())));
        return new Parts(sides.get(false), sides.get(true));
    }
}
