// Parses the "--name value" arguments of the world graph and question set command lines.
package io.synod.kg.world;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

final class CommandLineOptions {

    private CommandLineOptions() {}

    /**
     * Returns the value of each option; every option in {@code required} must be given once.
     *
     * @throws IllegalArgumentException naming the options expected, if an argument is unknown or missing
     */
    static Map<String, String> parse(String[] args, Set<String> required) {
        return parse(args, required, Map.of());
    }

    static Map<String, String> parse(String[] args, Set<String> required, Map<String, String> defaults) {
        Map<String, String> options = new HashMap<>(defaults);
        Set<String> known = new TreeSet<>(required);
        known.addAll(defaults.keySet());
        for (int index = 0; index < args.length; index += 2) {
            if (!known.contains(args[index]) || index + 1 >= args.length) {
                throw new IllegalArgumentException("unexpected argument '" + args[index] + "'; expected " + usage(known));
            }
            options.put(args[index], args[index + 1]);
        }
        for (String option : required) {
            if (!options.containsKey(option)) {
                throw new IllegalArgumentException("missing " + option + "; expected " + usage(known));
            }
        }
        return options;
    }

    private static String usage(Set<String> known) {
        return String.join(" ", known.stream().map(option -> option + " <value>").toList());
    }
}
