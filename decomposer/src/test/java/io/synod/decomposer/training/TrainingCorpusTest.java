package io.synod.decomposer.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synod.decomposer.model.DecomposerPrompt;
import io.synod.decomposer.program.ProgramParser;
import io.synod.kg.KnowledgeGraph;
import io.synod.solvers.training.TrainingExample;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainingCorpusTest {

    private static KnowledgeGraph graph;
    private static TrainingCorpus corpus;

    @BeforeAll
    static void generate() {
        graph = KnowledgeGraph.bundled();
        corpus = TrainingCorpus.generate(graph, 400, 7);
    }

    @AfterAll
    static void close() {
        graph.close();
    }

    @Test
    void everyDecompositionCompletionIsAStepThatParses() throws Exception {
        List<TrainingExample> examples = corpus.examples("decompose");
        assertThat(examples).hasSizeGreaterThan(800);
        for (TrainingExample example : examples) {
            String line = "QS:" + example.completion();
            int steps = (int) example.prompt().lines().filter(l -> l.startsWith("QS: ")).count();
            if (example.completion().strip().equals(DecomposerPrompt.END)) {
                assertThat(ProgramParser.parseStep(line, 1)).isEmpty();
            } else {
                assertThat(ProgramParser.parseStep(line, 1, steps + 1)).isPresent();
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameCorpus() {
        TrainingCorpus again = TrainingCorpus.generate(graph, 400, 7);
        assertThat(again.examples("decompose")).isEqualTo(corpus.examples("decompose"));
        assertThat(again.examples("walk")).isEqualTo(corpus.examples("walk"));
    }

    @Test
    void noQuestionIsAboutADevOrTestCountry() throws Exception {
        Set<String> heldOutNames = new HashSet<>();
        for (String file : List.of("dev.jsonl", "test.jsonl")) {
            try (var reader = new BufferedReader(new InputStreamReader(KnowledgeGraph.class.getResourceAsStream(
                    "/io/synod/kg/world/questions/" + file), StandardCharsets.UTF_8))) {
                ObjectMapper json = new ObjectMapper();
                String line;
                while ((line = reader.readLine()) != null) {
                    JsonNode row = json.readTree(line);
                    String topic = row.path("topic").asText();
                    if (topic.contains("/country/") && row.path("family").asText().equals("capital")) {
                        heldOutNames.add(graph.entity(topic).orElseThrow().label());
                    }
                }
            }
        }
        assertThat(heldOutNames).hasSizeGreaterThan(50);
        Pattern firstStep = Pattern.compile("^QC: .*\\nQS:$", Pattern.DOTALL);
        Pattern capitalOf = Pattern.compile("What is the capital of (.+)\\?");
        int checked = 0;
        for (TrainingExample example : corpus.examples("decompose")) {
            Matcher matcher = capitalOf.matcher(example.completion());
            if (firstStep.matcher(example.prompt()).matches() && matcher.find()) {
                assertThat(heldOutNames).doesNotContain(matcher.group(1));
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    @Test
    void walkExamplesChooseAnOfferedOption() {
        for (TrainingExample example : corpus.examples("walk")) {
            String options = example.prompt().lines().filter(l -> l.startsWith("Options: ")).findFirst().orElseThrow();
            List<String> offered = List.of(options.substring("Options: ".length()).split(" \\| "));
            assertThat(offered).contains(example.completion().strip());
        }
    }

    @Test
    void aWordNetIndividualThatIsACountryOrCityIsWalkedFromThere() {
        // "What kind of thing is Kyoto?" links to the city at run time: the walk is taught to take the city's
        // instance-hypernym (its WordNet individual's) from there
        assertThat(corpus.examples("walk")).anyMatch(example -> example.completion().equals(" instance-hypernym\n")
                && example.prompt().lines().anyMatch(line -> line.startsWith("At: ") && line.contains("[city in ")))
                .anyMatch(example -> example.completion().equals(" instance-hypernym\n")
                        && example.prompt().lines().anyMatch(line -> line.startsWith("At: ") && line.endsWith("[country]")));
    }

    @Test
    void theLexicalWalkExamplesAreTheWalkExamplesAtWordNetNouns() {
        List<TrainingExample> lexical = corpus.examples("lexical-walk");
        List<TrainingExample> walk = corpus.examples("walk");
        assertThat(lexical).hasSizeGreaterThan(100).hasSizeLessThan(walk.size());
        assertThat(walk).containsAll(lexical);
        assertThat(lexical).allMatch(example -> example.prompt().contains("[noun]"));
        assertThat(walk.stream().filter(example -> !lexical.contains(example)))
                .noneMatch(example -> example.prompt().lines().anyMatch(l -> l.startsWith("At: ") && l.contains("[noun]")));
    }

    @Test
    void theCountCompareExamplesAreTheAnswersFromFactsThatCountOrCompare() {
        List<TrainingExample> counting = corpus.examples("count-compare");
        assertThat(counting).hasSizeGreaterThan(20);
        assertThat(corpus.examples("compose")).containsAll(counting);
        assertThat(counting).allMatch(example -> example.prompt().contains("\ncount: ")
                || example.prompt().contains("\ncompare: "));
    }

    @Test
    void theGlossExamplesDefineNounsInTheirOwnPrompt() {
        List<TrainingExample> glosses = corpus.examples("gloss");
        assertThat(glosses).hasSizeGreaterThan(1000);
        assertThat(glosses).allMatch(example -> example.prompt().startsWith("Define: ")
                && example.prompt().endsWith("\nGloss:") && example.completion().endsWith("\n")
                && example.completion().length() <= 162);
    }

    @Test
    void theOtherTasksStayOutOfTheBaseModelsTraining() {
        List<TrainingExample> mixture = corpus.mixture(7);
        assertThat(mixture).doesNotContainAnyElementsOf(corpus.examples("gloss"));
        assertThat(corpus.focus(7)).doesNotContainAnyElementsOf(corpus.examples("gloss"));
        long taskExamples = TrainingCorpus.TASKS.stream()
                .mapToLong(task -> corpus.examples(task).size()).sum();
        assertThat(mixture.size()).isLessThan((int) taskExamples + corpus.examples("text").size() + 1);
    }

    @Test
    void aSpecialistIsTrainedForItsPartOfARolesSubTaskOnly() {
        String atNoun = "Question: What is the hypernym of dog?\nAt: dog [noun]\nPath: start\nOptions: hypernym | answer\nNext:";
        String atCountry = "Question: Which continent is Togo on?\nAt: Togo [country]\nPath: start\nOptions: continent | answer\nNext:";
        String startAmongNouns = "Question: What is a dog?\nAt: nowhere yet\nPath: start\nOptions: dog [noun] | domestic dog [noun]\nNext:";
        assertThat(TrainingCorpus.trainedFor("walk", "walk", atCountry)).isTrue();
        assertThat(TrainingCorpus.trainedFor("lexical-walk", "walk", atNoun)).isTrue();
        assertThat(TrainingCorpus.trainedFor("lexical-walk", "walk", startAmongNouns)).isTrue();
        assertThat(TrainingCorpus.trainedFor("lexical-walk", "walk", atCountry)).isFalse();
        assertThat(TrainingCorpus.trainedFor("lexical-walk", "decompose", atNoun)).isFalse();
        String counting = "Question: How many countries border Togo?\nFacts:\nWhich countries border Togo? = Benin, Ghana\n"
                + "count: Benin, Ghana = 2\nAnswer:";
        assertThat(TrainingCorpus.trainedFor("count-compare", "compose", counting)).isTrue();
        assertThat(TrainingCorpus.trainedFor("count-compare", "compose", "Question: x?\nFacts:\nx? = y\nAnswer:")).isFalse();
        assertThat(TrainingCorpus.trainedFor("gloss", "direct", "Question: x?\nAnswer:")).isFalse();
    }
}
