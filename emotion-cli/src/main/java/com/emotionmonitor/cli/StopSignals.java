package com.emotionmonitor.cli;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM for the long-running commands: the first signal starts a clean stop and arms a
 * watchdog; the second signal, or the watchdog after {@code grace}, ends the JVM at once. So the command exits
 * promptly whatever state the cluster is in: a clean stop that hangs on a dead TaskManager cannot hold it.
 */
final class StopSignals {

    private StopSignals() {}

    /**
     * @param command the command's name, for its messages
     * @param cleanStop what the first signal starts (must not block for long: it runs on the signal thread)
     */
    static void install(String command, Duration grace, Runnable cleanStop) {
        AtomicInteger signals = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> {
                int exitCode = 128 + signal.getNumber();
                if (signals.incrementAndGet() > 1) {
                    System.err.println(command + ": second signal: exiting now");
                    Runtime.getRuntime().halt(exitCode);
                }
                System.err.println("\n" + command + ": SIG" + signal.getName() + ": stopping cleanly (at most "
                        + grace.toSeconds() + " s); Ctrl-C again to quit at once");
                Thread watchdog = new Thread(() -> {
                    try {
                        Thread.sleep(grace.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.err.println(command + ": the clean stop took longer than " + grace.toSeconds() + " s: exiting now");
                    Runtime.getRuntime().halt(exitCode);
                }, command + "-stop-watchdog");
                watchdog.setDaemon(true);
                watchdog.start();
                cleanStop.run();
            });
        }
    }
}
