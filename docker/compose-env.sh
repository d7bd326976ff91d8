#!/usr/bin/env bash
# Prints a docker/.env for docker/compose.yaml with fresh random secrets: docker/compose-env.sh > docker/.env
# Keep the file: the KEK and the database password must stay the same across restarts (a new invitation signing
# key only invalidates the invitations sent so far).
set -euo pipefail
rand() { head -c 32 /dev/urandom | base64; }
cat << ENV
GATEHOUSE_DB_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME=admin
GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '/+' '_-')
GATEHOUSE_SESSION_KEYS_KEK=$(rand)
GATEHOUSE_SESSION_HASH_KEY=$(rand)
GATEHOUSE_SESSION_COOKIE_KEY=$(rand)
GATEHOUSE_TENANT_INVITATIONS_SIGNING_KEY=$(rand)
GATEHOUSE_IDENTITY_HASH_KEY=$(rand)
GATEHOUSE_IDENTITY_PLATFORM_CLIENT_SECRET=$(head -c 32 /dev/urandom | base64 | tr '/+' '_-' | tr -d '=')
GATEHOUSE_PUBLIC_URL=http://127.0.0.1:8080
ENV
