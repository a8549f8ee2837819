# graphmock, the reference Graph mock, as a container image: one static binary and nothing else.
#
# No base image can be pulled on the machines this project runs on (there is no registry, only Docker's build of
# local files), so the binary is compiled on the host with CGO_ENABLED=0 and this file only copies it in.
# The build context is a directory holding just that binary, named `graphmock`:
#   make image                      (docker build, tags graphconform/graphmock:latest)
#   graphmock/graphmockcontainer.Run      (testcontainers, tags graphconform/graphmock:<content hash>, reused when present)
FROM scratch
LABEL org.opencontainers.image.title="graphmock" \
      org.opencontainers.image.description="graphconform's reference mock of the Microsoft Graph enrollment configuration API" \
      org.opencontainers.image.source="https://github.com/graphconform/graphconform"
COPY graphmock /graphmock
# Inside its own network namespace the mock listens on every interface so Docker can publish the port;
# the publishing side binds the host port to loopback only (see graphmock/graphmockcontainer).
ENV GRAPHMOCK_ADDR=:8080
EXPOSE 8080
# nobody:nogroup; scratch has no /etc/passwd, so numeric ids.
USER 65534:65534
ENTRYPOINT ["/graphmock"]
