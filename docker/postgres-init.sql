-- docker/compose.yaml: one database per service, owned by the compose user (the chart expects one role per
-- service instead; docs/deploy-kubernetes.md#postgresql)
CREATE DATABASE gatehouse_identity;
CREATE DATABASE gatehouse_session;
CREATE DATABASE gatehouse_tenant;
