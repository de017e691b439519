// Few-shot DecomP prompts for a large instruct model used as the decomposer.
package io.synod.decomposer.prompts;

import io.synod.decomposer.program.ExecutedStep;
import io.synod.decomposer.program.Program;
import io.synod.decomposer.program.ProgramParser;
import io.synod.decomposer.program.ProgramSyntaxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Instructions and few-shot programs, one file per task, for prompting an instruct model to write a
 * program one step at a time. The bundled library ({@link #load()}) lives in
 * {@code io/synod/decomposer/prompts/}: {@code instructions.txt}, {@code tasks.txt} (the task names,
 * one a line) and {@code <task>.txt} (complete programs with their A lines, separated by blank
 * lines). Immutable and thread-safe.
 */
public final class PromptLibrary {

    private static final String DIRECTORY = "/io/synod/decomposer/prompts/";

    private final String instructions;
    private final Map<String, List<Program>> shots;

    private PromptLibrary(String instructions, Map<String, List<Program>> shots) {
        this.instructions = instructions.strip();
        var copied = new LinkedHashMap<String, List<Program>>();
        shots.forEach((task, programs) -> copied.put(task, List.copyOf(programs)));
        this.shots = copied;
    }

    /** A library from the given instructions and shots by task (kept in the map's order). */
    public static PromptLibrary of(String instructions, Map<String, List<Program>> shots) {
        return new PromptLibrary(Objects.requireNonNull(instructions, "instructions"), shots);
    }

    /**
     * The bundled library.
     *
     * @throws IllegalStateException when a bundled file is missing or a shot does not parse (names the
     *                               file and line)
     */
    public static PromptLibrary load() {
        String instructions = resource("instructions.txt");
        var shots = new LinkedHashMap<String, List<Program>>();
        for (String task : resource("tasks.txt").split("\n")) {
            if (!task.isBlank()) {
                String file = task.strip() + ".txt";
                try {
                    shots.put(task.strip(), parseShots(resource(file)));
                } catch (ProgramSyntaxException malformed) {
                    throw new IllegalStateException("prompt file " + DIRECTORY + file + ": " + malformed.getMessage(),
                            malformed);
                }
            }
        }
        return new PromptLibrary(instructions, shots);
    }

    /**
     * The programs of a shots file: complete programs separated by blank lines. Line numbers in errors
     * count from the top of the file.
     */
    public static List<Program> parseShots(String text) throws ProgramSyntaxException {
        var programs = new ArrayList<Program>();
        String[] lines = text.split("\r?\n", -1);
        var chunk = new StringBuilder();
        int chunkStart = 0;
        for (int index = 0; index <= lines.length; index++) {
            boolean blank = index == lines.length || lines[index].isBlank();
            if (!blank) {
                if (chunk.isEmpty()) {
                    chunkStart = index + 1;
                }
                chunk.append(lines[index]).append('\n');
            } else if (!chunk.isEmpty()) {
                try {
                    programs.add(ProgramParser.parse(chunk.toString()));
                } catch (ProgramSyntaxException malformed) {
                    throw new ProgramSyntaxException(chunkStart + malformed.lineNumber() - 1, malformed.problem());
                }
                chunk.setLength(0);
            }
        }
        return programs;
    }

    /** The task names, in the order of {@code tasks.txt}. */
    public Set<String> tasks() {
        return java.util.Collections.unmodifiableSet(shots.keySet());
    }

    public String instructions() {
        return instructions;
    }

    /**
     * The shots of {@code task}.
     *
     * @throws IllegalArgumentException for a task the library does not have
     */
    public List<Program> shots(String task) {
        List<Program> programs = shots.get(task);
        if (programs == null) {
            throw new IllegalArgumentException("no prompt task named \"" + task + "\"; tasks are "
                    + String.join(", ", shots.keySet()));
        }
        return programs;
    }

    /** {@link #prompt(Collection, String, List)} with the shots of every task. */
    public String prompt(String question, List<ExecutedStep> done) {
        return prompt(shots.keySet(), question, done);
    }

    /**
     * The prompt for the next step: the instructions, the shots of {@code tasks} (each a complete
     * program with its answers), then {@code QC: question} and the steps done so far with their A
     * lines. It ends with a newline, so the model's continuation is the next {@code QS:} line.
     */
    public String prompt(Collection<String> tasks, String question, List<ExecutedStep> done) {
        var out = new StringBuilder(instructions).append("\n\n");
        for (String task : tasks) {
            for (Program shot : shots(task)) {
                out.append(shot.format()).append('\n');
            }
        }
        out.append("QC: ").append(question.strip()).append('\n');
        for (ExecutedStep step : done) {
            out.append(step.step().format()).append('\n');
            if (step.succeeded()) {
                out.append(Program.formatAnswer(step.answerTexts())).append('\n');
            }
        }
        return out.toString();
    }

    private static String resource(String name) {
        try (InputStream in = PromptLibrary.class.getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException("missing prompt resource " + DIRECTORY + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read prompt resource " + DIRECTORY + name, unreadable);
        }
    }
}
