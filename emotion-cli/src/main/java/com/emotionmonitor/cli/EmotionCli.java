package com.emotionmonitor.cli;

import com.emotionmonitor.model.OfflineDefaults;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/emotion}: the one command users type. Each subcommand is its own class; register it in
 * {@link #commandLine()}.
 */
@Command(
        name = "emotion",
        mixinStandardHelpOptions = true,
        version = "emotion-monitor 0.1.0",
        description = "Real-time emotion labelling of Chinese social posts (Kafka -> Flink -> BERT -> Kafka).")
public final class EmotionCli implements Runnable {

    static {
        OfflineDefaults.apply();
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command tree with main()'s error handling; tests call this to run subcommands in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EmotionCli());
        cli.setExecutionExceptionHandler(EmotionCli::reportError);
        // Subcommands, one line each:
        cli.addSubcommand(new CleanCommand());
        cli.addSubcommand(new TrainCommand());
        cli.addSubcommand(new EvaluateCommand());
        cli.addSubcommand(new ClassifyCommand());
        cli.addSubcommand(new BenchCommand());
        cli.addSubcommand(new DemoCommand());
        cli.addSubcommand(new RunCommand());
        cli.addSubcommand(new DashboardCommand());
        cli.addSubcommand(new ProduceCommand());
        cli.addSubcommand(new AuditEventsCommand());
        cli.addSubcommand(new ModelCli());
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Bad input (a wrong path, a refused model, malformed data) is the user's to fix: one clear line and
     * exit code 2. Kafka refusing the credentials: one clear line, exit code 1. Anything else is a bug: the stack
     * trace, exit code 1.
     */
    static int reportError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.AuthenticationException
                    || t instanceof org.apache.kafka.common.errors.AuthorizationException) {
                // Wrong credentials or missing ACLs: the user's to fix, and Kafka's message says which.
                cli.getErr().println("emotion " + cli.getCommandName() + ": Kafka refused the client: "
                        + t.getClass().getSimpleName() + ": " + t.getMessage()
                        + " (check the security settings: --kafka-config, or kafka.properties.* for the job)");
                return 1;
            }
        }
        if (e instanceof IllegalArgumentException || e instanceof com.emotionmonitor.model.ModelLoadException
                || e instanceof java.io.FileNotFoundException || e instanceof java.nio.file.NoSuchFileException) {
            cli.getErr().println("emotion " + cli.getCommandName() + ": error: " + e.getMessage());
            return 2;
        }
        e.printStackTrace(cli.getErr());
        return 1;
    }
}
