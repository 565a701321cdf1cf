package com.emotionmonitor.store;

import com.emotionmonitor.model.ModelLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A team's Ed25519 signature over a version's {@code manifest.json} (which lists the sha256 of every other file, so
 * it covers the whole version), stored beside it as {@code manifest.json.sig} (base64). A job configured with the
 * team's public key serves only versions whose signature verifies. Keys are PEM files ({@code PUBLIC KEY}: X.509,
 * {@code PRIVATE KEY}: PKCS#8), as {@code openssl genpkey -algorithm ed25519} writes them; the JDK signs and verifies.
 */
public final class ManifestSignature {

    /** The signature file inside a version directory. */
    public static final String FILE = ArtifactFiles.MANIFEST + ".sig";
    private static final String ALGORITHM = "Ed25519";

    private ManifestSignature() {}

    /** A new key pair; returns {@code [private PEM, public PEM]}. */
    public static String[] generatePem() throws GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        return new String[] {pem("PRIVATE KEY", pair.getPrivate().getEncoded()), pem("PUBLIC KEY", pair.getPublic().getEncoded())};
    }

    /** Signs {@code versionDir}'s manifest with the PEM private key; writes and returns the signature file. */
    public static Path sign(Path versionDir, String privateKeyPem) throws IOException, GeneralSecurityException {
        PrivateKey key = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(privateKeyPem, "PRIVATE KEY")));
        Signature s = Signature.getInstance(ALGORITHM);
        s.initSign(key);
        s.update(Files.readAllBytes(versionDir.resolve(ArtifactFiles.MANIFEST)));
        return ArtifactFiles.writeAtomically(versionDir.resolve(FILE),
                (Base64.getEncoder().encodeToString(s.sign()) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** The public key of a PEM text. @throws IllegalArgumentException if it is not an Ed25519 public key */
    public static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (PEM 'PUBLIC KEY'): " + e.getMessage(), e);
        }
    }

    /**
     * Verifies the signature of {@code manifestBytes} (the manifest exactly as read) found in {@code versionDir}.
     *
     * @throws ModelLoadException saying why the version is not signed by {@code key}
     */
    public static void verify(Path versionDir, byte[] manifestBytes, PublicKey key) {
        Path sigFile = versionDir.resolve(FILE);
        if (!Files.isRegularFile(sigFile)) {
            throw new ModelLoadException(versionDir + " is not signed (no " + FILE + "), and the job serves only signed versions"
                    + " (model.trusted-key): sign it with bin/emotion model sign");
        }
        try {
            byte[] signature = Base64.getDecoder().decode(Files.readString(sigFile, StandardCharsets.US_ASCII).trim());
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(manifestBytes);
            if (!s.verify(signature)) {
                throw new ModelLoadException(versionDir + ": " + FILE + " does not verify with the trusted key: the manifest was"
                        + " changed after signing, or another key signed it");
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ModelLoadException(versionDir + ": " + FILE + " cannot be checked: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no '" + begin + "' block");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }
}
