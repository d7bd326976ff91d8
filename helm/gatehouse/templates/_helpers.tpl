{{/*
Names, labels and the per-service facts every template shares. A service is addressed by its key in .Values.services
(identity, session, tenant, gateway); templates range over "gatehouse.serviceKeys".
*/}}

{{- define "gatehouse.serviceKeys" -}}
identity session tenant gateway
{{- end }}

{{/* the Maven module: image name and app.kubernetes.io/component */}}
{{- define "gatehouse.module" -}}
{{- get (dict "identity" "identity-service" "session" "session-service" "tenant" "tenant-service" "gateway" "gateway-edge") . -}}
{{- end }}

{{- define "gatehouse.hasDatabase" -}}
{{- if has . (list "identity" "session" "tenant") }}true{{ end -}}
{{- end }}

{{- define "gatehouse.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* (dict "root" $ "key" "identity") -> <fullname>-identity: the name of every object of that service */}}
{{- define "gatehouse.serviceName" -}}
{{- printf "%s-%s" (include "gatehouse.fullname" .root) .key }}
{{- end }}

{{- define "gatehouse.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "gatehouse.selectorLabels" -}}
app.kubernetes.io/name: {{ default .root.Chart.Name .root.Values.nameOverride | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ include "gatehouse.module" .key }}
{{- end }}

{{- define "gatehouse.labels" -}}
helm.sh/chart: {{ include "gatehouse.chart" .root }}
{{ include "gatehouse.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Values.image.tag | quote }}
app.kubernetes.io/part-of: gatehouse
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{/* every pod of this release (NetworkPolicy peers) */}}
{{- define "gatehouse.releasePodLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: gatehouse
{{- end }}

{{- define "gatehouse.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.prefix (include "gatehouse.module" .key) .root.Values.image.tag }}
{{- end }}

{{- define "gatehouse.serviceAccountName" -}}
{{- if .root.Values.serviceAccount.create }}{{ include "gatehouse.serviceName" . }}{{ else }}default{{ end }}
{{- end }}

{{/* the port /health and /prometheus are served on */}}
{{- define "gatehouse.healthPort" -}}
{{- $svc := index .root.Values.services .key }}
{{- if eq .key "gateway" }}{{ $svc.managementPort }}{{ else }}{{ $svc.port }}{{ end }}
{{- end }}

{{- define "gatehouse.jdbcUrl" -}}
{{- $svc := index .root.Values.services .key }}
{{- $pg := .root.Values.postgresql }}
{{- $host := default $pg.host $svc.database.host }}
{{- $url := printf "jdbc:postgresql://%s:%v/%s" $host (default $pg.port $svc.database.port) $svc.database.name }}
{{- if $pg.parameters }}{{ printf "%s?%s" $url $pg.parameters }}{{ else }}{{ $url }}{{ end }}
{{- end }}

{{- define "gatehouse.kafkaSasl" -}}
{{- if hasPrefix "SASL_" .Values.kafka.securityProtocol }}true{{ end -}}
{{- end }}

{{/*
The credentials of one service as a YAML list of {env, chartKey, value, secret, key}: each one either comes from an
existing Secret (secret/key) or from a value the chart stores under chartKey in the service's own Secret. Items with
neither are left out. secret.yaml writes the chart-held values; the Deployment references all of them by
secretKeyRef, so no credential ever lands in a ConfigMap or in a plain env value.
*/}}
{{- define "gatehouse.secretItems" -}}
{{- $root := .root }}
{{- $key := .key }}
{{- $svc := index $root.Values.services $key }}
{{- $items := list }}
{{- if include "gatehouse.hasDatabase" $key }}
{{- $db := $svc.database }}
{{- $items = append $items (dict "env" "DATASOURCES_DEFAULT_USERNAME" "chartKey" "database-username" "value" $db.username "secret" $db.existingSecret "key" $db.existingSecretUsernameKey) }}
{{- $items = append $items (dict "env" "DATASOURCES_DEFAULT_PASSWORD" "chartKey" "database-password" "value" $db.password "secret" $db.existingSecret "key" $db.existingSecretPasswordKey) }}
{{- end }}
{{- $redis := $root.Values.redis }}
{{- $items = append $items (dict "env" "REDIS_URI" "chartKey" "redis-uri" "value" $redis.uri "secret" $redis.existingSecret "key" $redis.existingSecretKey) }}
{{- if include "gatehouse.kafkaSasl" $root }}
{{- $sasl := $root.Values.kafka.sasl }}
{{- $items = append $items (dict "env" "GATEHOUSE_KAFKA_SASL_USERNAME" "chartKey" "kafka-sasl-username" "value" $sasl.username "secret" $sasl.existingSecret "key" $sasl.existingSecretUsernameKey) }}
{{- $items = append $items (dict "env" "GATEHOUSE_KAFKA_SASL_PASSWORD" "chartKey" "kafka-sasl-password" "value" $sasl.password "secret" $sasl.existingSecret "key" $sasl.existingSecretPasswordKey) }}
{{- end }}
{{- if eq $key "identity" }}
{{- $admin := $svc.bootstrapAdmin }}
{{- if or $admin.username $admin.existingSecret }}
{{- $items = append $items (dict "env" "GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME" "chartKey" "bootstrap-admin-username" "value" $admin.username "secret" $admin.existingSecret "key" $admin.existingSecretUsernameKey) }}
{{- $items = append $items (dict "env" "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD" "chartKey" "bootstrap-admin-password" "value" $admin.password "secret" $admin.existingSecret "key" $admin.existingSecretPasswordKey) }}
{{- end }}
{{- $smtp := $svc.smtp }}
{{- if or $smtp.username $smtp.existingSecret }}
{{- $items = append $items (dict "env" "GATEHOUSE_IDENTITY_SMTP_USERNAME" "chartKey" "smtp-username" "value" $smtp.username "secret" $smtp.existingSecret "key" $smtp.existingSecretUsernameKey) }}
{{- $items = append $items (dict "env" "GATEHOUSE_IDENTITY_SMTP_PASSWORD" "chartKey" "smtp-password" "value" $smtp.password "secret" $smtp.existingSecret "key" $smtp.existingSecretPasswordKey) }}
{{- end }}
{{- $idKeys := $svc.keys }}
{{- $items = append $items (dict "env" "GATEHOUSE_IDENTITY_HASH_KEY" "chartKey" "identity-hash-key" "value" $idKeys.hashKey "secret" $idKeys.existingSecret "key" "hash-key") }}
{{- $items = append $items (dict "env" "GATEHOUSE_IDENTITY_PLATFORM_CLIENT_SECRET" "chartKey" "platform-client-secret" "value" $idKeys.platformClientSecret "secret" $idKeys.existingSecret "key" "platform-client-secret") }}
{{- range $provider := list "google" "microsoft" "github" "oidc" }}
{{- $p := index $svc.providers $provider }}
{{- if $p.clientId }}
{{- $items = append $items (dict "env" (printf "GATEHOUSE_IDENTITY_PROVIDERS_%s_CLIENT_SECRET" (upper $provider)) "chartKey" (printf "%s-client-secret" $provider) "value" $p.clientSecret "secret" $svc.providers.existingSecret "key" (printf "%s-client-secret" $provider)) }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq $key "session" }}
{{- $keys := $svc.keys }}
{{- if not $keys.kekAsFile }}
{{- $items = append $items (dict "env" "GATEHOUSE_SESSION_KEYS_KEK" "chartKey" "kek" "value" $keys.kek "secret" $keys.existingSecret "key" "kek") }}
{{- end }}
{{- $items = append $items (dict "env" "GATEHOUSE_SESSION_HASH_KEY" "chartKey" "hash-key" "value" $keys.hashKey "secret" $keys.existingSecret "key" "hash-key") }}
{{- $items = append $items (dict "env" "GATEHOUSE_SESSION_COOKIE_KEY" "chartKey" "cookie-key" "value" $keys.cookieKey "secret" $keys.existingSecret "key" "cookie-key") }}
{{- end }}
{{- if eq $key "tenant" }}
{{- $keys := $svc.keys }}
{{- $items = append $items (dict "env" "GATEHOUSE_TENANT_INVITATIONS_SIGNING_KEY" "chartKey" "invitation-signing-key" "value" $keys.invitationSigningKey "secret" $keys.existingSecret "key" "invitation-signing-key") }}
{{- end }}
{{- $present := list }}
{{- range $items }}
{{- if or .secret .value }}{{ $present = append $present . }}{{ end }}
{{- end }}
{{- toYaml $present }}
{{- end }}

{{/* the Secret holding the session-service KEK file: (dict "name" "key") or empty */}}
{{- define "gatehouse.kekFile" -}}
{{- $keys := .Values.services.session.keys }}
{{- if $keys.kekAsFile }}
{{- if $keys.existingSecret }}
{{- toYaml (dict "name" $keys.existingSecret "key" "kek") }}
{{- else if $keys.kek }}
{{- toYaml (dict "name" (include "gatehouse.serviceName" (dict "root" . "key" "session")) "key" "kek") }}
{{- end }}
{{- end }}
{{- end }}

{{/* the bootstrap file's volume source, or empty */}}
{{- define "gatehouse.bootstrapVolume" -}}
{{- $b := .Values.bootstrapFile }}
{{- if $b.existingConfigMap }}
configMap:
  name: {{ $b.existingConfigMap }}
  items:
    - key: {{ $b.key }}
      path: bootstrap.yaml
{{- else if or $b.existingSecret $b.content }}
secret:
  secretName: {{ default (printf "%s-bootstrap" (include "gatehouse.fullname" .)) $b.existingSecret }}
  items:
    - key: {{ $b.key }}
      path: bootstrap.yaml
{{- end }}
{{- end }}

{{/*
Plain (non-secret) settings of one service as a map: the service's ConfigMap. Upstream provider client ids, SMTP host
and the like are configuration; their secrets are in gatehouse.secretItems.
*/}}
{{- define "gatehouse.config" -}}
{{- $root := .root }}
{{- $key := .key }}
{{- $svc := index $root.Values.services $key }}
{{- $cfg := dict "MICRONAUT_SERVER_PORT" (toString $svc.port) "KAFKA_BOOTSTRAP_SERVERS" $root.Values.kafka.bootstrapServers }}
{{- if ne $root.Values.kafka.securityProtocol "PLAINTEXT" }}
{{- $_ := set $cfg "KAFKA_SECURITY_PROTOCOL" $root.Values.kafka.securityProtocol }}
{{- end }}
{{- if include "gatehouse.kafkaSasl" $root }}
{{- $_ := set $cfg "KAFKA_SASL_MECHANISM" $root.Values.kafka.sasl.mechanism }}
{{- end }}
{{- if include "gatehouse.hasDatabase" $key }}
{{- $_ := set $cfg "DATASOURCES_DEFAULT_URL" (include "gatehouse.jdbcUrl" .) }}
{{- end }}
{{- if eq $key "gateway" }}
{{- $_ := set $cfg "ENDPOINTS_ALL_PORT" (toString $svc.managementPort) }}
{{- range $upstream := list "identity" "session" "tenant" }}
{{- $target := dict "root" $root "key" $upstream }}
{{- $_ := set $cfg (printf "GATEHOUSE_GATEWAY_UPSTREAMS_%s" (upper $upstream)) (printf "http://%s:%v" (include "gatehouse.serviceName" $target) (index $root.Values.services $upstream).port) }}
{{- end }}
{{- end }}
{{- if eq $key "identity" }}
{{- /* identity-service calls session-service and tenant-service inside the cluster, with its own service client */}}
{{- $sessionSvc := dict "root" $root "key" "session" }}
{{- $tenantSvc := dict "root" $root "key" "tenant" }}
{{- $_ := set $cfg "GATEHOUSE_IDENTITY_PLATFORM_SESSION_URL" (printf "http://%s:%v" (include "gatehouse.serviceName" $sessionSvc) $root.Values.services.session.port) }}
{{- $_ := set $cfg "GATEHOUSE_IDENTITY_PLATFORM_TENANT_URL" (printf "http://%s:%v" (include "gatehouse.serviceName" $tenantSvc) $root.Values.services.tenant.port) }}
{{- $_ := set $cfg "GATEHOUSE_IDENTITY_PLATFORM_CLIENT_ID" $svc.platformClientId }}
{{- $_ := set $cfg "GATEHOUSE_IDENTITY_COOKIE_SECURE" (toString $svc.cookie.secure) }}
{{- if $svc.cookie.domain }}
{{- $_ := set $cfg "GATEHOUSE_IDENTITY_COOKIE_DOMAIN" $svc.cookie.domain }}
{{- end }}
{{- $smtp := $svc.smtp }}
{{- if $smtp.host }}
{{- $_ := set $cfg "GATEHOUSE_IDENTITY_SMTP_HOST" $smtp.host }}
{{- $_ := set $cfg "GATEHOUSE_IDENTITY_SMTP_PORT" (toString $smtp.port) }}
{{- $_ := set $cfg "GATEHOUSE_IDENTITY_SMTP_FROM" $smtp.from }}
{{- $_ := set $cfg "GATEHOUSE_IDENTITY_SMTP_STARTTLS" (toString $smtp.startTls) }}
{{- end }}
{{- range $provider := list "google" "microsoft" "github" "oidc" }}
{{- $p := index $svc.providers $provider }}
{{- if $p.clientId }}
{{- $_ := set $cfg (printf "GATEHOUSE_IDENTITY_PROVIDERS_%s_CLIENT_ID" (upper $provider)) $p.clientId }}
{{- if eq $provider "microsoft" }}
{{- $_ := set $cfg "GATEHOUSE_IDENTITY_PROVIDERS_MICROSOFT_TENANT" $p.tenant }}
{{- end }}
{{- if eq $provider "oidc" }}
{{- $_ := set $cfg "GATEHOUSE_IDENTITY_PROVIDERS_OIDC_ISSUER" $p.issuer }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq $key "session" }}
{{- $_ := set $cfg "GATEHOUSE_SESSION_ISSUER" $root.Values.publicUrl }}
{{- $tenant := dict "root" $root "key" "tenant" }}
{{- $_ := set $cfg "GATEHOUSE_SESSION_TENANT_URL" (printf "http://%s:%v" (include "gatehouse.serviceName" $tenant) $root.Values.services.tenant.port) }}
{{- if include "gatehouse.kekFile" $root }}
{{- $_ := set $cfg "GATEHOUSE_SESSION_KEYS_KEK_FILE" "/etc/gatehouse/kek/kek" }}
{{- end }}
{{- end }}
{{- if eq $key "tenant" }}
{{- /* tenant-service verifies the access tokens session-service mints: its issuer and its JWKS inside the cluster */}}
{{- $_ := set $cfg "GATEHOUSE_TENANT_AUTH_ISSUER" $root.Values.publicUrl }}
{{- $session := dict "root" $root "key" "session" }}
{{- $_ := set $cfg "GATEHOUSE_TENANT_AUTH_JWKS_URI" (printf "http://%s:%v/.well-known/jwks.json" (include "gatehouse.serviceName" $session) $root.Values.services.session.port) }}
{{- end }}
{{- if include "gatehouse.bootstrapVolume" $root }}
{{- $_ := set $cfg "GATEHOUSE_BOOTSTRAP_FILE" "/etc/gatehouse/bootstrap/bootstrap.yaml" }}
{{- end }}
{{- if $svc.javaOpts }}
{{- $_ := set $cfg "JDK_JAVA_OPTIONS" $svc.javaOpts }}
{{- end }}
{{- toYaml $cfg }}
{{- end }}

{{/* Settings that cannot be expressed in the schema; fails the render with a message naming the value. */}}
{{- define "gatehouse.validate" -}}
{{- range $key := splitList " " (include "gatehouse.serviceKeys" .) }}
{{- $svc := index $.Values.services $key }}
{{- if gt (int $svc.autoscaling.minReplicas) (int $svc.autoscaling.maxReplicas) }}
{{- fail (printf "services.%s.autoscaling: minReplicas (%v) is above maxReplicas (%v)" $key $svc.autoscaling.minReplicas $svc.autoscaling.maxReplicas) }}
{{- end }}
{{- if include "gatehouse.hasDatabase" $key }}
{{- if and (not $svc.database.existingSecret) (not $svc.database.username) }}
{{- fail (printf "services.%s.database: set username/password or existingSecret" $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- $admin := .Values.services.identity.bootstrapAdmin }}
{{- if and $admin.username (not $admin.password) (not $admin.existingSecret) }}
{{- fail "services.identity.bootstrapAdmin: username is set but password is empty (or use existingSecret)" }}
{{- end }}
{{- if and (not .Values.redis.uri) (not .Values.redis.existingSecret) }}
{{- fail "redis: set uri or existingSecret" }}
{{- end }}
{{- $sasl := .Values.kafka.sasl }}
{{- if and (include "gatehouse.kafkaSasl" .) (not $sasl.existingSecret) (or (not $sasl.username) (not $sasl.password)) }}
{{- fail (printf "kafka.sasl: securityProtocol %s needs username and password (or existingSecret)" .Values.kafka.securityProtocol) }}
{{- end }}
{{- if and .Values.bootstrapFile.existingConfigMap .Values.bootstrapFile.existingSecret }}
{{- fail "bootstrapFile: set existingConfigMap or existingSecret, not both" }}
{{- end }}
{{- end }}
