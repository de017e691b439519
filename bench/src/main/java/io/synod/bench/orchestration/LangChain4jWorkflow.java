// The orchestration benchmark's peer: decompose, solve and combine as three agents in a LangChain4j agentic
// sequence, each calling the same instant model that Synod's side of the benchmark calls.
package io.synod.bench.orchestration;

import dev.langchain4j.agentic.Agent;
import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.V;
import java.util.List;
import java.util.Map;

/** A three-step workflow built the way LangChain4j's agentic module documents it. Thread-safe. */
public final class LangChain4jWorkflow {

    public interface Decomposer {
        @dev.langchain4j.service.UserMessage("Decompose into sub-questions: {{question}}")
        @Agent(description = "Writes the sub-questions of a question", outputKey = "plan")
        String decompose(@V("question") String question);
    }

    public interface Solver {
        @dev.langchain4j.service.UserMessage("Answer each sub-question: {{plan}}")
        @Agent(description = "Answers the sub-questions", outputKey = "solution")
        String solve(@V("plan") String plan);
    }

    public interface Combiner {
        @dev.langchain4j.service.UserMessage("Question: {{question}}\nFacts: {{solution}}\nAnswer:")
        @Agent(description = "Answers the question from the facts", outputKey = "answer")
        String combine(@V("question") String question, @V("solution") String solution);
    }

    /** A chat model that answers at once with {@link InstantModel#reply}. */
    static final class InstantChatModel implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            ChatMessage last = messages.get(messages.size() - 1);
            String prompt = last instanceof UserMessage user ? user.singleText() : last.toString();
            return ChatResponse.builder().aiMessage(AiMessage.from(InstantModel.reply(prompt))).build();
        }
    }

    private final UntypedAgent workflow;

    public LangChain4jWorkflow() {
        ChatModel model = new InstantChatModel();
        Decomposer decomposer = AgenticServices.agentBuilder(Decomposer.class).chatModel(model).build();
        Solver solver = AgenticServices.agentBuilder(Solver.class).chatModel(model).build();
        Combiner combiner = AgenticServices.agentBuilder(Combiner.class).chatModel(model).build();
        workflow = AgenticServices.sequenceBuilder()
                .subAgents(decomposer, solver, combiner)
                .outputKey("answer")
                .build();
    }

    /** Runs the three steps for one question and returns the combined answer. */
    public String ask(String question) {
        return String.valueOf(workflow.invoke(Map.of("question", question)));
    }
}
