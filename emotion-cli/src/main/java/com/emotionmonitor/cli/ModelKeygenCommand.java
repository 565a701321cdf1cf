package com.emotionmonitor.cli;

import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ManifestSignature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/emotion model keygen --out DIR}: a new Ed25519 key pair for signing versions. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Create an Ed25519 key pair for 'model sign': DIR/model-signing.key (private, mode 600: keep it out of"
                + " the repository) and DIR/model-signing.pub.pem (public: the jobs' model.trusted-key).")
public final class ModelKeygenCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the two files to.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path privateKey = out.resolve("model-signing.key");
        Path publicKey = out.resolve("model-signing.pub.pem");
        if (Files.exists(privateKey) || Files.exists(publicKey)) {
            throw new IllegalArgumentException("keys already exist in " + out.toAbsolutePath() + ": not overwritten");
        }
        String[] pems = ManifestSignature.generatePem();
        Files.createDirectories(out);
        ArtifactFiles.writeAtomically(privateKey, pems[0].getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
        ArtifactFiles.writeAtomically(publicKey, pems[1].getBytes(StandardCharsets.US_ASCII));
        System.out.println(publicKey.toAbsolutePath());
        return 0;
    }
}
