/** Synod on Pekko Cluster: node roles, the Pekko settings a node runs with, adapter-affinity routing, cluster status. */
package io.synod.actors.cluster;
