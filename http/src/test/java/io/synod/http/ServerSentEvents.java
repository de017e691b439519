// Reads a text/event-stream body into its events, as an SSE client would.
package io.synod.http;

import java.util.ArrayList;
import java.util.List;

/** One server-sent event, and a reader of a whole stream (comments and heartbeats are skipped). */
record ServerSentEvents(String event, String id, String data) {

    static List<ServerSentEvents> read(String stream) {
        List<ServerSentEvents> events = new ArrayList<>();
        String event = null;
        String id = null;
        StringBuilder data = null;
        for (String line : (stream + "\n\n").split("\n", -1)) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new ServerSentEvents(event == null ? "message" : event, id, data.toString()));
                }
                event = null;
                id = null;
                data = null;
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("data:")) {
                data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).strip());
            }
        }
        return events;
    }
}
