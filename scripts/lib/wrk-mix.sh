# Sourced by the load scripts. write_wrk_mix FILE BODY... writes a wrk Lua script that posts the given workflow
# payloads to the execute route in turn, one per request.
write_wrk_mix() {
  local file=$1; shift
  {
    echo 'local bodies = {'
    local body
    for body in "$@"; do printf " '%s',\n" "$body"; done
    echo '}'
    cat <<'LUA'
local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", "/api/v1/workflow/execute", {["Content-Type"]="application/json"}, bodies[(i % #bodies) + 1])
end
LUA
  } > "$file"
}
