package org.postern.cli;

import org.postern.edge.Gateway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.CountDownLatch;

/** Runs the gateway in the foreground until SIGTERM/SIGINT, then drains and exits 0. */
@Command(name = "serve", description = "Run the gateway in the foreground (SIGTERM drains and exits 0)")
public final class ServeCommand implements Runnable {

    @Mixin
    ConfigOption config;

    @Override
    public void run() {
        Gateway gateway = Gateway.start(config.load());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
            System.out.flush();
            // SIGTERM is the normal way to stop a service: once drained, exit 0 rather than the JVM's 143.
            Runtime.getRuntime().halt(0);
        }, "postern-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
