// What one node of a cluster sees: the members, the solvers it can reach, the adapters resident per node.
package io.synod.actors.cluster;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of the cluster as this node sees it, for readiness probes and metrics. Immutable.
 *
 * @param role             this node's role
 * @param self             this node's address
 * @param members          every member, with its roles and status
 * @param unreachable      the addresses of the members this node cannot reach now
 * @param reachableSolvers solvers this node routes to (its own and, on a front, those of reachable solver nodes)
 * @param adaptersByNode   the adapters resident per node, as the front's pool last heard (empty on a solver node)
 * @param adapterLoads     adapters this node's solvers loaded on demand since it started
 */
public record ClusterStatus(String role, String self, List<MemberView> members, List<String> unreachable,
                            int reachableSolvers, Map<String, List<String>> adaptersByNode, long adapterLoads) {

    public ClusterStatus {
        members = List.copyOf(members);
        unreachable = List.copyOf(unreachable);
        adaptersByNode = Map.copyOf(adaptersByNode);
    }

    /** One member: its address, roles and status ({@code up}, {@code leaving}, {@code down}, ...). */
    public record MemberView(String address, List<String> roles, String status) {
        public MemberView {
            roles = List.copyOf(roles);
        }
    }
}
