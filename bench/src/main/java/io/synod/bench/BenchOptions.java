// The command-line handling the benchmarks share: --help prints the usage, bad options print why and the usage.
package io.synod.bench;

import java.util.List;
import java.util.function.Function;

public final class BenchOptions {
    private BenchOptions() {
    }

    /**
     * The options {@code parse} makes of {@code args}, or null when {@code --help} or {@code -h} was asked (the
     * usage is printed). Options it refuses ({@link IllegalArgumentException}) are reported with the usage, and
     * the process exits with status 2.
     */
    public static <T> T parseOrExit(String[] args, String benchmark, String usage, Function<String[], T> parse) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(usage);
            return null;
        }
        try {
            return parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(benchmark + " benchmark: " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return null;
        }
    }
}
