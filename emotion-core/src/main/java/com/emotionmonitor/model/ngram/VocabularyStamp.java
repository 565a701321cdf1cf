package com.emotionmonitor.model.ngram;

import com.emotionmonitor.text.Vocabulary;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which vocabulary a model's token ids refer to: its size and the first 8 bytes of the SHA-256 of its
 * tokens in id order. An n-gram model over ids is meaningless with another vocabulary, so the model
 * records this and {@link NgramClassifier#requireVocabulary} refuses a mismatch.
 */
public record VocabularyStamp(int size, long fingerprint) {

    public static VocabularyStamp of(Vocabulary vocab) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int id = 0; id < vocab.size(); id++) {
                sha.update(vocab.token(id).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return new VocabularyStamp(vocab.size(), ByteBuffer.wrap(sha.digest()).getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    @Override
    public String toString() {
        return "vocabulary[" + size + " tokens, " + String.format("%016x", fingerprint) + "]";
    }
}
