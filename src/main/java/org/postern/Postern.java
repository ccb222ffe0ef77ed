package org.postern;

import org.postern.cli.ApplyCommand;
import org.postern.cli.ClassifyCommand;
import org.postern.cli.DemoCommand;
import org.postern.cli.ExplainCommand;
import org.postern.cli.QuarantineCommand;
import org.postern.cli.ReportCommand;
import org.postern.cli.ServeCommand;
import org.postern.cli.TraceCommand;
import org.postern.cli.TrainCommand;
import org.postern.config.ConfigException;
import org.postern.store.StoreUnavailableException;
import org.postern.tenant.TenantValidationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: {@code postern serve|demo|apply|trace|explain ...}. Exit codes: 0 ok, 1 failure,
 * 2 usage error with a one-line reason on stderr.
 */
@Command(name = "postern", mixinStandardHelpOptions = true, version = "Postern 0.1.0",
        description = "Multi-tenant email protection gateway",
        subcommands = {ServeCommand.class, DemoCommand.class, ApplyCommand.class, TraceCommand.class, ExplainCommand.class,
                QuarantineCommand.class, TrainCommand.class, ClassifyCommand.class, ReportCommand.class,
                org.postern.cli.TokenCommand.class, org.postern.cli.UserCommand.class, org.postern.cli.DkimCommand.class})
public final class Postern implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Postern());
        cli.setParameterExceptionHandler((ex, a) -> {
            System.err.println("postern: " + ex.getMessage());
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigException || ex instanceof TenantValidationException
                    || ex instanceof StoreUnavailableException || ex instanceof CliFailure) {
                System.err.println("postern: " + ex.getMessage());
            } else {
                System.err.println("postern: " + ex);
                ex.printStackTrace(System.err);
            }
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (serve, demo, apply, trace, explain); see --help");
    }

    /** A failure the user caused or can fix, printed as one line without a stack trace. */
    public static final class CliFailure extends RuntimeException {
        public CliFailure(String message) { super(message); }
    }
}
