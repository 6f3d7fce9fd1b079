/**
 * Sources: where resources come from (a folder of YAML manifests in local mode; Kubernetes
 * informers later), turned into an immutable {@link io.igw.controller.source.ClusterSnapshot}. Only
 * this stage reads the world.
 */
package io.igw.controller.source;
