package com.emotionmonitor.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away TLS identity for the embedded broker: a self-signed RSA certificate for 127.0.0.1 (subject alternative
 * name, so clients keep hostname verification on) in a PKCS12 key store, and a trust store holding only that
 * certificate. Made with the JDK's own {@code keytool}, so no certificate library is needed.
 */
final class SelfSignedTls {

    private static final String ALIAS = "embedded-broker";

    final Path keyStore;
    final Path trustStore;
    final String password;

    private SelfSignedTls(Path keyStore, Path trustStore, String password) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.password = password;
    }

    /** Writes {@code broker.p12} and {@code trust.p12} into {@code dir}. */
    static SelfSignedTls create(Path dir) throws IOException, InterruptedException {
        String password = java.util.UUID.randomUUID().toString();
        Path keyStore = dir.resolve("broker.p12");
        Path trustStore = dir.resolve("trust.p12");
        Path cert = dir.resolve("broker.crt");
        keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keyStore.toString(), "-storepass", password,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", ALIAS, "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", password);
        return new SelfSignedTls(keyStore, trustStore, password);
    }

    /** The broker listener's settings, under {@code listener.name.<listener>.}. */
    Map<String, String> brokerSettings(String listener) {
        String prefix = "listener.name." + listener + ".";
        return Map.of(prefix + "ssl.keystore.location", keyStore.toString(), prefix + "ssl.keystore.password", password,
                prefix + "ssl.key.password", password, prefix + "ssl.keystore.type", "PKCS12");
    }

    /** What a client needs to trust the broker. */
    Map<String, String> clientSettings() {
        return Map.of("ssl.truststore.location", trustStore.toString(), "ssl.truststore.password", password,
                "ssl.truststore.type", "PKCS12");
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output.strip());
        }
    }
}
