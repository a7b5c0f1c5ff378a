# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_acrt_global_optspecs
    string join \n o/output= query= only-show-errors verbose debug state-dir= g/resource-group= subscription= agent-pool= h/help V/version
end

function __fish_acrt_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_acrt_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_acrt_using_subcommand
    set -l cmd (__fish_acrt_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c acrt -n "__fish_acrt_needs_command" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_needs_command" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_needs_command" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_needs_command" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_needs_command" -l subscription -r
complete -c acrt -n "__fish_acrt_needs_command" -l agent-pool -r
complete -c acrt -n "__fish_acrt_needs_command" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_needs_command" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_needs_command" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acrt -n "__fish_acrt_needs_command" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "task" -d 'Manage tasks: definitions, triggers, credentials and timers'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "taskrun" -d 'Show, list, delete and read the logs of task runs (every run, named by its run ID)'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "build" -d 'Build an image from a context and push it (a quick build, like `az acr build`)'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "run" -d 'Run a multi-step task file (build, push and cmd steps), like `az acr run`'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "scan" -d 'Print the base images a Dockerfile depends on, as a run records them'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "import" -d 'Copy an image (every platform of it) into a registry, like `az acr import`'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "login" -d 'Check registry credentials and store them where docker, buildah and skopeo look'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "logout" -d 'Remove stored registry credentials'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "watch" -d 'Rebuild the tasks whose base images changed, and run timer and commit triggers'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "verify" -d 'Check an image\'s signature and provenance against a public key, and print the provenance'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "configure" -d 'Set defaults, e.g. the registry commands use when -r is not given'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "config" -d 'Read and change settings in the config file'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "builder" -d 'List the builders of the pool and check that they answer'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "run-worker" -d 'Execute a queued run (started by --no-wait)'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c acrt -n "__fish_acrt_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "create" -d 'Create a task: a Dockerfile build, a multi-step task file, or one command'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "update" -d 'Change a task; options left out keep their values'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "show" -d 'Show a task'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "list" -d 'List the tasks of a registry'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "delete" -d 'Delete a task'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "run" -d 'Run a task now'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "list-runs" -d 'List the runs of a registry, newest first'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "show-run" -d 'Show a run'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "logs" -d 'Show a run\'s log (the newest run\'s when none is named); follows a run in progress'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "cancel-run" -d 'Stop a run in progress'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "update-run" -d 'Keep a run past the retention period (--no-archive false), or let it go'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "check-base" -d 'Show each recorded base image: the digest the last run used, the one served now, and whether a rebuild is due'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "rebase" -d 'Rebase the task\'s image onto its base as the registry serves it now, without a build (or rebuild, saying why, where a rebase would not be sound); prints the run'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "graph" -d 'Show who is built on what: base images, the tasks built on them, the images those push, and the tasks built on those (from the recorded runs)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "credential" -d 'Registry credentials a task\'s runs log in with'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "timer" -d 'Timer triggers (cron schedules, UTC)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "identity" -d 'Managed identities: Azure only; use `task credential add` instead'
complete -c acrt -n "__fish_acrt_using_subcommand task; and not __fish_seen_subcommand_from create update show list delete run list-runs show-run logs cancel-run update-run check-base rebase graph credential timer identity help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -s n -l name -d 'The task\'s name' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -s c -l context -d 'Build context: a local directory, a git URL (`URL#branch:folder`), a tarball URL, oci://registry/repo:tag, or /dev/null for none' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -s f -l file -d 'A Dockerfile (relative to the context) [default: Dockerfile], or a multi-step task file (.yaml, .yml, .json, .toml), or - to read a task file from stdin' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l cmd -d 'A command to run as a one-step task: "IMAGE [ARGS]" (use with -c /dev/null)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l import-source -d 'Make a mirror task: its runs copy this image (every platform) to the --image names in the task\'s registry, and watch copies it again whenever it changes' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -s t -l image -d 'Image name and tag to push; repeatable; may use {{.Run.ID}} and other run variables' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l arg -d 'Build argument NAME=VALUE; a bare NAME takes the value of that environment variable; repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l secret-arg -d 'Secret build argument, stored, never printed, kept out of logs and process lists; repeatable. It reaches the build as a build argument (an ARG of that name keeps the value in the image\'s history) and as a secret for `RUN --mount=type=secret,id=NAME` (a file at /run/secrets/NAME during that step only), which leaves no trace in the image' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l set -d 'Value for a task file\'s {{.Values.NAME}}; repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l set-secret -d 'Secret value for a task file, stored and never printed; a bare NAME takes the value of that environment variable; repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l secret-env -d 'An environment variable of acrt\'s that the task file\'s `secrets:` may read with `env: NAME` (any other is refused); repeatable; replaces the task\'s list on update ("" clears it)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l values -d 'A values file for a task file, relative to the context' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l no-push -d 'Build without pushing [create default: false]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l no-cache -d 'Build without the layer cache [create default: false]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l target -d 'The Dockerfile stage to build' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l platform -d 'os[/architecture[/variant]]; several, separated by commas, build one image per platform and push an index of them (linux/amd64,linux/arm64) [create default: linux/amd64]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l platform-lockstep -d 'With several platforms: a base change on any platform rebuilds (or rebases) every platform together, rather than only those whose base moved [create default: false]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l cpu -d 'CPUs for a run [create default: 2]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l timeout -d 'Seconds a run may take, 1-28800 [create default: 3600]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l status -d 'Whether the task runs at all [create default: Enabled]' -r -f -a "Enabled\t''
Disabled\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l git-access-token -d 'Token for a private git context; stored and never printed; - reads it from stdin' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l branch -d 'The git context\'s branch, which runs build and the commit trigger follows (as `-c URL#BRANCH`)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l commit-trigger-enabled -d 'Run when the git context\'s branch gets a commit [create default: true]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l pull-request-trigger-enabled -d 'Run on pull requests (recorded; acrt has no pull-request source) [create default: false]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l source-trigger-name -d 'Name of the source trigger [create default: defaultSourceTriggerName]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l base-image-trigger-enabled -d 'Run when a base image changes under its tag [create default: true]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l base-image-trigger-name -d 'Name of the base image trigger [create default: defaultBaseimageTriggerName]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l base-image-trigger-type -d 'Which base images trigger: Runtime (the final stage\'s) or All [create default: Runtime]' -r -f -a "All\t''
Runtime\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l update-trigger-endpoint -d 'URL that gets a POST for every base-image-triggered run' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l update-trigger-payload-type -d 'What the POST carries [create default: Default]' -r -f -a "Default\t''
Token\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l auth-mode -d 'Whether runs log in to the task\'s own registry: Default (yes) or None' -r -f -a "Default\t''
None\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l log-template -d 'Run log template, e.g. \'acr/tasks:{{.Run.OS}}\'' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l base-image-update -d 'When a base changed: rebuild (as ACR), or rebase: swap the base\'s layers in the image without a build where that is sound (else rebuild) [default: rebuild]' -r -f -a "rebuild\t''
rebase\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l source-date-epoch -d 'Seconds since 1970 that the images\' timestamps are set to, for reproducible images (SOURCE_DATE_EPOCH); "" clears it [default: the git context\'s commit time, else the newest base image\'s creation time]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l retry-elsewhere -d 'When the builder a run was sent to stops answering during the build, try the run once more on another builder of the pool that answers [create default: false]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l schedule -d 'Timer trigger `[NAME:]CRON` (5 fields, UTC); unnamed timers become t1, t2, ...; repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l assign-identity -d 'Azure managed identities have no local meaning (explained on stderr, ignored); runs log in with `task credential add` logins and the user\'s own' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l is-system-task -d 'ACR\'s system task (for customer-managed-key registries) has no local meaning (explained on stderr, ignored)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -s n -l name -d 'The task\'s name' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -s c -l context -d 'Build context: a local directory, a git URL (`URL#branch:folder`), a tarball URL, oci://registry/repo:tag, or /dev/null for none' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -s f -l file -d 'A Dockerfile (relative to the context) [default: Dockerfile], or a multi-step task file (.yaml, .yml, .json, .toml), or - to read a task file from stdin' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l cmd -d 'A command to run as a one-step task: "IMAGE [ARGS]" (use with -c /dev/null)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l import-source -d 'Make a mirror task: its runs copy this image (every platform) to the --image names in the task\'s registry, and watch copies it again whenever it changes' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -s t -l image -d 'Image name and tag to push; repeatable; may use {{.Run.ID}} and other run variables' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l arg -d 'Build argument NAME=VALUE; a bare NAME takes the value of that environment variable; repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l secret-arg -d 'Secret build argument, stored, never printed, kept out of logs and process lists; repeatable. It reaches the build as a build argument (an ARG of that name keeps the value in the image\'s history) and as a secret for `RUN --mount=type=secret,id=NAME` (a file at /run/secrets/NAME during that step only), which leaves no trace in the image' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l set -d 'Value for a task file\'s {{.Values.NAME}}; repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l set-secret -d 'Secret value for a task file, stored and never printed; a bare NAME takes the value of that environment variable; repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l secret-env -d 'An environment variable of acrt\'s that the task file\'s `secrets:` may read with `env: NAME` (any other is refused); repeatable; replaces the task\'s list on update ("" clears it)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l values -d 'A values file for a task file, relative to the context' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l no-push -d 'Build without pushing [create default: false]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l no-cache -d 'Build without the layer cache [create default: false]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l target -d 'The Dockerfile stage to build' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l platform -d 'os[/architecture[/variant]]; several, separated by commas, build one image per platform and push an index of them (linux/amd64,linux/arm64) [create default: linux/amd64]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l platform-lockstep -d 'With several platforms: a base change on any platform rebuilds (or rebases) every platform together, rather than only those whose base moved [create default: false]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l cpu -d 'CPUs for a run [create default: 2]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l timeout -d 'Seconds a run may take, 1-28800 [create default: 3600]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l status -d 'Whether the task runs at all [create default: Enabled]' -r -f -a "Enabled\t''
Disabled\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l git-access-token -d 'Token for a private git context; stored and never printed; - reads it from stdin' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l branch -d 'The git context\'s branch, which runs build and the commit trigger follows (as `-c URL#BRANCH`)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l commit-trigger-enabled -d 'Run when the git context\'s branch gets a commit [create default: true]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l pull-request-trigger-enabled -d 'Run on pull requests (recorded; acrt has no pull-request source) [create default: false]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l source-trigger-name -d 'Name of the source trigger [create default: defaultSourceTriggerName]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l base-image-trigger-enabled -d 'Run when a base image changes under its tag [create default: true]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l base-image-trigger-name -d 'Name of the base image trigger [create default: defaultBaseimageTriggerName]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l base-image-trigger-type -d 'Which base images trigger: Runtime (the final stage\'s) or All [create default: Runtime]' -r -f -a "All\t''
Runtime\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l update-trigger-endpoint -d 'URL that gets a POST for every base-image-triggered run' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l update-trigger-payload-type -d 'What the POST carries [create default: Default]' -r -f -a "Default\t''
Token\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l auth-mode -d 'Whether runs log in to the task\'s own registry: Default (yes) or None' -r -f -a "Default\t''
None\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l log-template -d 'Run log template, e.g. \'acr/tasks:{{.Run.OS}}\'' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l base-image-update -d 'When a base changed: rebuild (as ACR), or rebase: swap the base\'s layers in the image without a build where that is sound (else rebuild) [default: rebuild]' -r -f -a "rebuild\t''
rebase\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l source-date-epoch -d 'Seconds since 1970 that the images\' timestamps are set to, for reproducible images (SOURCE_DATE_EPOCH); "" clears it [default: the git context\'s commit time, else the newest base image\'s creation time]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l retry-elsewhere -d 'When the builder a run was sent to stops answering during the build, try the run once more on another builder of the pool that answers [create default: false]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -s n -l name -d 'The task\'s name' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -l with-secure-properties -d 'Show secret values (passwords, tokens, secret arguments) too'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -s n -l name -d 'The task\'s name' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -s n -l name -d 'The task\'s name' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -s c -l context -d 'Override the build context for this run' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -s f -l file -d 'Override the Dockerfile or task file for this run' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l arg -d 'Build argument NAME=VALUE for this run (added to the task\'s); repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l secret-arg -d 'Secret build argument for this run; repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l set -d 'Value for this run; repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l set-secret -d 'Secret value for this run; a bare NAME takes the value of that environment variable; repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l target -d 'Override the Dockerfile stage to build' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l platform -d 'The platforms of this run instead of the task\'s: os[/architecture[/variant]], several separated by commas' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l update-trigger-token -d 'A token recorded on the run (its updateTriggerToken), as az records it' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l log-template -d 'ACR\'s log artifact template: acrt keeps each run\'s log on this machine (explained on stderr, ignored)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l builder -d 'The image builder: buildah, docker or podman on this machine (with a platform it does not build natively going to a builder of the pool that does), or a builder of the pool by its name, for every platform (\'acrt builder list\') [default: ACRT_BUILDER, else `acrt config set defaults.builder=...`, else each platform on a builder of the pool that builds it natively, this machine\'s first installed among them]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l no-logs -d 'Do not stream the log: wait for the run to end and print it'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l no-wait -d 'Do not wait: print the queued run and let it go on in the background'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l no-format -d 'Print the log without colours (acrt never colours logs; accepted for az scripts)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -s n -l name -d 'Only the runs of this task' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -l top -d 'How many runs to show' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -l run-status -d 'Only runs with this status' -r -f -a "Queued\t''
Started\t''
Running\t''
Succeeded\t''
Failed\t''
Canceled\t''
Error\t''
Timeout\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -s t -l image -d 'Only runs that pushed this image (repository[:tag])' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from list-runs" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -l run-id -d 'The run\'s ID, e.g. da1' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from show-run" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -l run-id -d 'The run\'s ID' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -s n -l name -d 'The newest run of this task' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -s t -l image -d 'The newest run that pushed this image (repository[:tag])' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -l no-format -d 'Print the log without colours (acrt never colours logs; accepted for az scripts)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -l run-id -d 'The run\'s ID, e.g. da1' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from cancel-run" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -l run-id -d 'The run\'s ID, e.g. da1' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -l no-archive -d 'false keeps the run (and its log) past the retention period; true lets it be purged' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from update-run" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -s n -l name -d 'The task to check' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -l all -d 'Check every task of the registry'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from check-base" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -s n -l name -d 'The task\'s name' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -l builder -d 'The image builder for a rebuild, if a rebase is not sound: a kind or a builder of the pool [default: as for task run]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from rebase" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -l base -d 'Only what this image reaches: what a patch of it rebuilds, in the order it would' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -l format -d 'Print the graph for Graphviz (dot) instead of in the output format' -r -f -a "dot\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -l key -d 'The public key for --verify (PEM, as cosign.pub) [default: the public half of `acrt config set signing.key=...`]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -l verify -d 'Check the image each task\'s last successful run pushed (by its digest): its cosign signature and provenance verified, unsigned (nothing attached) or invalid; an invalid one (or one the registry cannot show) fails the command after the graph is printed'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from graph" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -f -a "add" -d 'Add credentials for a registry the task\'s runs pull from or push to'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -f -a "update" -d 'Replace the credentials stored for a registry'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -f -a "remove" -d 'Remove the credentials of a registry'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -f -a "list" -d 'List the registries a task has credentials for (passwords are never shown)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from credential" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -f -a "add" -d 'Add a timer: the task runs on a cron schedule (5 fields, UTC)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -f -a "update" -d 'Change a timer\'s schedule or status'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -f -a "remove" -d 'Remove a timer'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -f -a "list" -d 'List a task\'s timers'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from timer" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -f -a "assign" -d 'Azure only: explains what to use instead'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -f -a "remove" -d 'Azure only: explains what to use instead'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -f -a "show" -d 'Azure only: explains what to use instead'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from identity" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a task: a Dockerfile build, a multi-step task file, or one command'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a task; options left out keep their values'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a task'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the tasks of a registry'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a task'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a task now'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "list-runs" -d 'List the runs of a registry, newest first'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "show-run" -d 'Show a run'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Show a run\'s log (the newest run\'s when none is named); follows a run in progress'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "cancel-run" -d 'Stop a run in progress'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "update-run" -d 'Keep a run past the retention period (--no-archive false), or let it go'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "check-base" -d 'Show each recorded base image: the digest the last run used, the one served now, and whether a rebuild is due'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "rebase" -d 'Rebase the task\'s image onto its base as the registry serves it now, without a build (or rebuild, saying why, where a rebase would not be sound); prints the run'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "graph" -d 'Show who is built on what: base images, the tasks built on them, the images those push, and the tasks built on those (from the recorded runs)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "credential" -d 'Registry credentials a task\'s runs log in with'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "timer" -d 'Timer triggers (cron schedules, UTC)'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "identity" -d 'Managed identities: Azure only; use `task credential add` instead'
complete -c acrt -n "__fish_acrt_using_subcommand task; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -f -a "list" -d 'List the task runs of a registry (every run, newest first)'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -f -a "show" -d 'Show a task run'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -f -a "delete" -d 'Delete a finished task run and its log'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -f -a "logs" -d 'Show a task run\'s log; follows a run in progress'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and not __fish_seen_subcommand_from list show delete logs help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from list" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from list" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from list" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from list" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from list" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from list" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from list" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from list" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from list" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -s n -l name -d 'The task run\'s name: its run ID (see `acrt taskrun list`)' -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -s n -l name -d 'The task run\'s name: its run ID (see `acrt taskrun list`)' -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -s n -l name -d 'The task run\'s name: its run ID (see `acrt taskrun list`)' -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the task runs of a registry (every run, newest first)'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a task run'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a finished task run and its log'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Show a task run\'s log; follows a run in progress'
complete -c acrt -n "__fish_acrt_using_subcommand taskrun; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand build" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -s t -l image -d 'Image name and tag to push, relative to the registry; repeatable; may use {{.Run.ID}}' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -s f -l file -d 'The Dockerfile, relative to the context [default: Dockerfile]' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l build-arg -d 'Build argument NAME=VALUE (a bare NAME takes the environment variable); repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l secret-build-arg -d 'Secret build argument, kept out of logs, process lists and output; repeatable. It reaches the build as a build argument (an ARG of that name keeps the value in the image\'s history) and as a secret for `RUN --mount=type=secret,id=NAME` (a file at /run/secrets/NAME during that step only), which leaves no trace in the image' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l target -d 'The Dockerfile stage to build' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l platform -d 'os[/architecture[/variant]]; several, separated by commas, build one image per platform and push an index of them (linux/amd64,linux/arm64)' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l timeout -d 'Seconds the build may take' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l source-date-epoch -d 'Seconds since 1970 that the image\'s timestamps are set to, for a reproducible image (SOURCE_DATE_EPOCH) [default: the git context\'s commit time, else the newest base image\'s creation time]' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l auth-mode -d 'Whether the run logs in to its registry with your login: Default (yes) or None' -r -f -a "Default\t''
None\t''"
complete -c acrt -n "__fish_acrt_using_subcommand build" -l log-template -d 'ACR\'s log artifact template: acrt keeps each run\'s log on this machine (explained on stderr, ignored)' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l source-acr-auth-id -d 'The Azure identity that logs in to the source registry: no local meaning (explained on stderr, ignored)' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l builder -d 'The image builder: buildah, docker or podman on this machine (with a platform it does not build natively going to a builder of the pool that does), or a builder of the pool by its name, for every platform (\'acrt builder list\') [default: ACRT_BUILDER, else `acrt config set defaults.builder=...`, else each platform on a builder of the pool that builds it natively, this machine\'s first installed among them]' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand build" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand build" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand build" -l no-push -d 'Build without pushing'
complete -c acrt -n "__fish_acrt_using_subcommand build" -l no-cache -d 'Build without the layer cache'
complete -c acrt -n "__fish_acrt_using_subcommand build" -l no-logs -d 'Do not stream the log: wait for the run to end and print it'
complete -c acrt -n "__fish_acrt_using_subcommand build" -l no-wait -d 'Do not wait: print the queued run and let it go on in the background'
complete -c acrt -n "__fish_acrt_using_subcommand build" -l no-format -d 'Print the log without colours (acrt never colours logs; accepted for az scripts)'
complete -c acrt -n "__fish_acrt_using_subcommand build" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand build" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand build" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand build" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand build" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand run" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -s f -l file -d 'The task file, relative to the source (- reads it from stdin)' -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l cmd -d 'Run one command as a one-step task: "IMAGE [ARGS]"' -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l values -d 'A values file (YAML), relative to the source' -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l set -d 'Value NAME=VALUE for {{.Values.NAME}}; repeatable; wins over --values' -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l set-secret -d 'Secret value, masked in the log; a bare NAME takes the value of that environment variable; repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l secret-env -d 'An environment variable of acrt\'s that the task file\'s `secrets:` may read with `env: NAME` (any other is refused); repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l timeout -d 'Seconds the run may take' -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l platform -d 'os[/architecture[/variant]]; several, separated by commas, build one image per platform and push an index of them (linux/amd64,linux/arm64)' -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l auth-mode -d 'Whether the run logs in to its registry with your login: Default (yes) or None' -r -f -a "Default\t''
None\t''"
complete -c acrt -n "__fish_acrt_using_subcommand run" -l log-template -d 'ACR\'s log artifact template: acrt keeps each run\'s log on this machine (explained on stderr, ignored)' -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l builder -d 'The image builder: buildah, docker or podman on this machine (with a platform it does not build natively going to a builder of the pool that does), or a builder of the pool by its name, for every platform (\'acrt builder list\') [default: ACRT_BUILDER, else `acrt config set defaults.builder=...`, else each platform on a builder of the pool that builds it natively, this machine\'s first installed among them]' -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand run" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand run" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand run" -l no-logs -d 'Do not stream the log: wait for the run to end and print it'
complete -c acrt -n "__fish_acrt_using_subcommand run" -l no-wait -d 'Do not wait: print the queued run and let it go on in the background'
complete -c acrt -n "__fish_acrt_using_subcommand run" -l no-format -d 'Print the log without colours (acrt never colours logs; accepted for az scripts)'
complete -c acrt -n "__fish_acrt_using_subcommand run" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand run" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand run" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand run" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand run" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand scan" -s f -l file -d 'The Dockerfile, relative to the context' -r
complete -c acrt -n "__fish_acrt_using_subcommand scan" -l build-arg -d 'Build argument NAME=VALUE, as the build would get it; repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand scan" -l target -d 'The stage the build stops at' -r
complete -c acrt -n "__fish_acrt_using_subcommand scan" -l platform -d 'os[/architecture[/variant]]; several, separated by commas, scan for each (a row per platform and base); --resolve reports each platform\'s digests' -r
complete -c acrt -n "__fish_acrt_using_subcommand scan" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand scan" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand scan" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand scan" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand scan" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand scan" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand scan" -l resolve -d 'Also ask the registries for each base image\'s digest'
complete -c acrt -n "__fish_acrt_using_subcommand scan" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand scan" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand scan" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand scan" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand scan" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand import" -s n -l name -d 'The target registry (a login server, an alias, or NAME for NAME.azurecr.io)' -r
complete -c acrt -n "__fish_acrt_using_subcommand import" -l source -d 'The image to copy: host/repository[:tag|@digest], or a name in the --registry source' -r
complete -c acrt -n "__fish_acrt_using_subcommand import" -s r -l registry -d 'The source registry, when --source names an image without one' -r
complete -c acrt -n "__fish_acrt_using_subcommand import" -s t -l image -d 'Target name and tag; repeatable [default: the source\'s repository and tag]' -r
complete -c acrt -n "__fish_acrt_using_subcommand import" -l repository -d 'Target repository to copy into by digest only (no tag); repeatable' -r
complete -c acrt -n "__fish_acrt_using_subcommand import" -s u -l username -d 'User name' -r
complete -c acrt -n "__fish_acrt_using_subcommand import" -s p -l password -d 'Password or token; prefer --password-stdin, which keeps it out of the process list' -r
complete -c acrt -n "__fish_acrt_using_subcommand import" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand import" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand import" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand import" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand import" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand import" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand import" -l password-stdin -d 'Read the password from stdin'
complete -c acrt -n "__fish_acrt_using_subcommand import" -l force -d 'Overwrite target tags that already exist'
complete -c acrt -n "__fish_acrt_using_subcommand import" -l no-wait -d 'Do not wait: the copy goes on in the background and nothing is printed (as az\'s; a failure is not reported: check with \'acrt scan\' or the registry)'
complete -c acrt -n "__fish_acrt_using_subcommand import" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand import" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand import" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand import" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand import" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand login" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand login" -s n -l name -d 'The registry, as `az acr login -n` names it: the same as -r' -r
complete -c acrt -n "__fish_acrt_using_subcommand login" -s u -l username -d 'User name' -r
complete -c acrt -n "__fish_acrt_using_subcommand login" -s p -l password -d 'Password or token; prefer --password-stdin, which keeps it out of the process list' -r
complete -c acrt -n "__fish_acrt_using_subcommand login" -l suffix -d 'Azure\'s login server suffix: acrt takes the login server as given; ignored' -r
complete -c acrt -n "__fish_acrt_using_subcommand login" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand login" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand login" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand login" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand login" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand login" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand login" -l password-stdin -d 'Read the password from stdin'
complete -c acrt -n "__fish_acrt_using_subcommand login" -s t -l expose-token -d 'Check the login and print the registry\'s access token as JSON (null for a registry without a token service) instead of storing the login, as `az acr login -t`'
complete -c acrt -n "__fish_acrt_using_subcommand login" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand login" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand login" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand login" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand login" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand logout" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand logout" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand logout" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand logout" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand logout" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand logout" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand logout" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand logout" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand logout" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand logout" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand logout" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand logout" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l interval -d 'Seconds between registry checks (a little jitter is added)' -r
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l max-concurrency -d 'Runs at a time, at most [default: the pool\'s capacity (the named builders\' capacities and builders.local.capacity, else 1, for this machine); 2 when the config names no builder and no builders.local.capacity]' -r
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l listen -d 'Accept the registry\'s notification webhook on host:port, and check pushed tags at once' -r
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l builder -d 'The image builder for the runs watch starts: a kind (this machine\'s builder, beside the pool\'s), or a builder of the pool to build everything on [default: as `acrt build`]' -r
complete -c acrt -n "__fish_acrt_using_subcommand watch" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand watch" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l once -d 'Run one cycle and exit (exit 1 if a run it started did not succeed; 4 if a base could not be checked or its tag is gone)'
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l wait -d 'If another watcher is running, wait for it instead of exiting'
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand watch" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand watch" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand watch" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand verify" -l key -d 'The public key (PEM, as `cosign.pub`) the signatures must verify with [default: the public half of `acrt config set signing.key=...`]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand verify" -s r -l registry -d 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]' -r
complete -c acrt -n "__fish_acrt_using_subcommand verify" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand verify" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand verify" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand verify" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand verify" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand verify" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand verify" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand verify" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand verify" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand verify" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand verify" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand configure" -l defaults -d 'KEY=VALUE defaults to set (acr); an empty VALUE removes the default' -r
complete -c acrt -n "__fish_acrt_using_subcommand configure" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand configure" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand configure" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand configure" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand configure" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand configure" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand configure" -s l -l list-defaults -d 'List the defaults that are set'
complete -c acrt -n "__fish_acrt_using_subcommand configure" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand configure" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand configure" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand configure" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand configure" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -f -a "set" -d 'Set one or more settings: core.output, core.only_show_errors, defaults.acr, registries.ALIAS (a login server -r ALIAS stands for), task_aliases.NAME (the image a task file\'s cmd starting with NAME runs, e.g. a mirror of ACR\'s acr-cli for acr)'
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -f -a "get" -d 'Show one setting, or all of them'
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -f -a "unset" -d 'Remove a setting'
complete -c acrt -n "__fish_acrt_using_subcommand config; and not __fish_seen_subcommand_from set get unset help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from set" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from set" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from set" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from set" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from set" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from set" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from set" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from set" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from set" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from get" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from get" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from get" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from get" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from get" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from get" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from get" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from get" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from unset" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from unset" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from unset" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from unset" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from unset" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from unset" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from unset" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from unset" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from unset" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set one or more settings: core.output, core.only_show_errors, defaults.acr, registries.ALIAS (a login server -r ALIAS stands for), task_aliases.NAME (the image a task file\'s cmd starting with NAME runs, e.g. a mirror of ACR\'s acr-cli for acr)'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Show one setting, or all of them'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove a setting'
complete -c acrt -n "__fish_acrt_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -f -a "list" -d 'List the builders: this machine\'s own (local: builders.local.platforms, .capacity) and those named in the config (builders.NAME.kind, .url, .platforms, .capacity)'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -f -a "show" -d 'Show one builder: its kind, URL, platforms and capacity, whether it answers, and the runs it is building now'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -f -a "check" -d 'Ask each builder (or those named) whether it answers, and what it builds with'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and not __fish_seen_subcommand_from list show check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from list" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from list" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from list" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from list" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from list" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from list" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from list" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from list" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from show" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from show" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from show" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from show" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from show" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from show" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from show" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from show" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from check" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from check" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from check" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from check" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from check" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from check" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from check" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from check" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the builders: this machine\'s own (local: builders.local.platforms, .capacity) and those named in the config (builders.NAME.kind, .url, .platforms, .capacity)'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one builder: its kind, URL, platforms and capacity, whether it answers, and the runs it is building now'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from help" -f -a "check" -d 'Ask each builder (or those named) whether it answers, and what it builds with'
complete -c acrt -n "__fish_acrt_using_subcommand builder; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -l registry -r
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -l run-id -r
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand run-worker" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand completion" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acrt -n "__fish_acrt_using_subcommand completion" -l query -d 'JMESPath query applied to the result before it is printed (see https://jmespath.org)' -r
complete -c acrt -n "__fish_acrt_using_subcommand completion" -l state-dir -d 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user\'s data dir]' -r -F
complete -c acrt -n "__fish_acrt_using_subcommand completion" -s g -l resource-group -r
complete -c acrt -n "__fish_acrt_using_subcommand completion" -l subscription -r
complete -c acrt -n "__fish_acrt_using_subcommand completion" -l agent-pool -r
complete -c acrt -n "__fish_acrt_using_subcommand completion" -l only-show-errors -d 'Show errors only; hide warnings'
complete -c acrt -n "__fish_acrt_using_subcommand completion" -l verbose -d 'Say more about what is being done, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand completion" -l debug -d 'Show everything acrt does, for bug reports, on stderr'
complete -c acrt -n "__fish_acrt_using_subcommand completion" -s h -l help -d 'Print help'
complete -c acrt -n "__fish_acrt_using_subcommand completion" -s V -l version -d 'Print version'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "task" -d 'Manage tasks: definitions, triggers, credentials and timers'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "taskrun" -d 'Show, list, delete and read the logs of task runs (every run, named by its run ID)'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "build" -d 'Build an image from a context and push it (a quick build, like `az acr build`)'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "run" -d 'Run a multi-step task file (build, push and cmd steps), like `az acr run`'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "scan" -d 'Print the base images a Dockerfile depends on, as a run records them'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "import" -d 'Copy an image (every platform of it) into a registry, like `az acr import`'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "login" -d 'Check registry credentials and store them where docker, buildah and skopeo look'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "logout" -d 'Remove stored registry credentials'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "watch" -d 'Rebuild the tasks whose base images changed, and run timer and commit triggers'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "verify" -d 'Check an image\'s signature and provenance against a public key, and print the provenance'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "configure" -d 'Set defaults, e.g. the registry commands use when -r is not given'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "config" -d 'Read and change settings in the config file'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "builder" -d 'List the builders of the pool and check that they answer'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "run-worker" -d 'Execute a queued run (started by --no-wait)'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "completion" -d 'Print a shell completion script'
complete -c acrt -n "__fish_acrt_using_subcommand help; and not __fish_seen_subcommand_from task taskrun build run scan import login logout watch verify configure config builder run-worker completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "create" -d 'Create a task: a Dockerfile build, a multi-step task file, or one command'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "update" -d 'Change a task; options left out keep their values'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "show" -d 'Show a task'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "list" -d 'List the tasks of a registry'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "delete" -d 'Delete a task'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "run" -d 'Run a task now'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "list-runs" -d 'List the runs of a registry, newest first'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "show-run" -d 'Show a run'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "logs" -d 'Show a run\'s log (the newest run\'s when none is named); follows a run in progress'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "cancel-run" -d 'Stop a run in progress'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "update-run" -d 'Keep a run past the retention period (--no-archive false), or let it go'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "check-base" -d 'Show each recorded base image: the digest the last run used, the one served now, and whether a rebuild is due'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "rebase" -d 'Rebase the task\'s image onto its base as the registry serves it now, without a build (or rebuild, saying why, where a rebase would not be sound); prints the run'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "graph" -d 'Show who is built on what: base images, the tasks built on them, the images those push, and the tasks built on those (from the recorded runs)'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "credential" -d 'Registry credentials a task\'s runs log in with'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "timer" -d 'Timer triggers (cron schedules, UTC)'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from task" -f -a "identity" -d 'Managed identities: Azure only; use `task credential add` instead'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from taskrun" -f -a "list" -d 'List the task runs of a registry (every run, newest first)'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from taskrun" -f -a "show" -d 'Show a task run'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from taskrun" -f -a "delete" -d 'Delete a finished task run and its log'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from taskrun" -f -a "logs" -d 'Show a task run\'s log; follows a run in progress'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Set one or more settings: core.output, core.only_show_errors, defaults.acr, registries.ALIAS (a login server -r ALIAS stands for), task_aliases.NAME (the image a task file\'s cmd starting with NAME runs, e.g. a mirror of ACR\'s acr-cli for acr)'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Show one setting, or all of them'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "unset" -d 'Remove a setting'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from builder" -f -a "list" -d 'List the builders: this machine\'s own (local: builders.local.platforms, .capacity) and those named in the config (builders.NAME.kind, .url, .platforms, .capacity)'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from builder" -f -a "show" -d 'Show one builder: its kind, URL, platforms and capacity, whether it answers, and the runs it is building now'
complete -c acrt -n "__fish_acrt_using_subcommand help; and __fish_seen_subcommand_from builder" -f -a "check" -d 'Ask each builder (or those named) whether it answers, and what it builds with'
