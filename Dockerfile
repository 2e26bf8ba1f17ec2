# syntax=docker/dockerfile:1
# Thaiyyal server image: docker build -t thaiyyal/workflow-engine:latest .
# Multi-architecture (amd64, arm64): docker buildx build --platform linux/amd64,linux/arm64 -t thaiyyal/workflow-engine:latest .

# 1. The web editor (skipped when web/ is absent: the server then serves a placeholder page).
FROM --platform=$BUILDPLATFORM node:20.19-alpine3.21 AS web
WORKDIR /src
COPY . .
RUN mkdir -p src/Thaiyyal.Server/wwwroot \
 && if [ -f web/package.json ]; then cd web && npm ci --no-audit --no-fund && npm run build; fi

# 2. The server, published for the target architecture.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0-alpine3.22 AS build
ARG TARGETARCH
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props global.json .editorconfig ./
COPY src/Thaiyyal.Engine/Thaiyyal.Engine.csproj src/Thaiyyal.Engine/
COPY src/Thaiyyal.Storage/Thaiyyal.Storage.csproj src/Thaiyyal.Storage/
COPY src/Thaiyyal.Server/Thaiyyal.Server.csproj src/Thaiyyal.Server/
RUN rid="linux-musl-$([ "$TARGETARCH" = amd64 ] && echo x64 || echo "$TARGETARCH")" \
 && dotnet restore src/Thaiyyal.Server -r "$rid"
COPY src/Thaiyyal.Engine/ src/Thaiyyal.Engine/
COPY src/Thaiyyal.Storage/ src/Thaiyyal.Storage/
COPY src/Thaiyyal.Server/ src/Thaiyyal.Server/
COPY --from=web /src/src/Thaiyyal.Server/wwwroot/ src/Thaiyyal.Server/wwwroot/
RUN rid="linux-musl-$([ "$TARGETARCH" = amd64 ] && echo x64 || echo "$TARGETARCH")" \
 && dotnet publish src/Thaiyyal.Server -c Release -r "$rid" --self-contained false --no-restore -p:SkipWebBuild=true -o /app

# 3. Runtime: ASP.NET Core on Alpine, non-root uid 1000, read-only root file system friendly: the server writes
#    only to /data (the SQLite store and its generated key; mount a volume there) and /tmp (diagnostics).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine3.22 AS runtime
RUN addgroup -g 1000 thaiyyal && adduser -u 1000 -G thaiyyal -D -H thaiyyal \
 && mkdir -p /data && chown 1000:1000 /data
WORKDIR /app
COPY --from=build /app ./
USER 1000:1000
ENV THAIYYAL_PROFILE=production THAIYYAL_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD wget -q --spider http://localhost:8080/health/live || exit 1
# SIGTERM starts the graceful shutdown (drain 3s + shutdown 6s by default, inside `docker stop`'s 10 s).
STOPSIGNAL SIGTERM
ENV SERVER_ADDR=:8080
ENTRYPOINT ["/app/thaiyyal-server"]
