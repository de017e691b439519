// The command-line handling the benchmarks share: each benchmark's options are a picocli command; --help prints
// its usage, options it refuses print why and the usage on stderr, and the process exits with status 2.
package io.synod.bench;

import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

public final class BenchCommand {
    private BenchCommand() {
    }

    /**
     * Parses {@code args} into {@code command} (a picocli {@code @Command} that is {@link Runnable} or
     * {@link java.util.concurrent.Callable}) and runs it. Exits with the command's status when it is not 0: 2 for
     * bad options (including a {@link CommandLine.ParameterException} the command throws while it checks them), 1
     * for an exception; on 0 it returns, and the JVM ends when the benchmark's threads do.
     */
    public static void execute(Object command, String[] args) {
        int exitCode = new CommandLine(command).execute(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** {@code -h} and {@code --help}: a mixin, so that every benchmark takes them and lists them where it says. */
    public static final class Help {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this usage and exit.")
        boolean help;
    }

    /** Reads a whole number above 0, and names the option and the value otherwise. */
    public static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int number = Integer.parseInt(value);
                if (number >= 1) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "'; expected a whole number above 0");
        }
    }
}
