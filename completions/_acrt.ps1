
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'acrt' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'acrt'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'acrt' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('task', 'task', [CompletionResultType]::ParameterValue, 'Manage tasks: definitions, triggers, credentials and timers')
            [CompletionResult]::new('taskrun', 'taskrun', [CompletionResultType]::ParameterValue, 'Show, list, delete and read the logs of task runs (every run, named by its run ID)')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build an image from a context and push it (a quick build, like `az acr build`)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a multi-step task file (build, push and cmd steps), like `az acr run`')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Print the base images a Dockerfile depends on, as a run records them')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Copy an image (every platform of it) into a registry, like `az acr import`')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Check registry credentials and store them where docker, buildah and skopeo look')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove stored registry credentials')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Rebuild the tasks whose base images changed, and run timer and commit triggers')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an image''s signature and provenance against a public key, and print the provenance')
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'Set defaults, e.g. the registry commands use when -r is not given')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read and change settings in the config file')
            [CompletionResult]::new('builder', 'builder', [CompletionResultType]::ParameterValue, 'List the builders of the pool and check that they answer')
            [CompletionResult]::new('run-worker', 'run-worker', [CompletionResultType]::ParameterValue, 'Execute a queued run (started by --no-wait)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;task' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a task: a Dockerfile build, a multi-step task file, or one command')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a task; options left out keep their values')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a task')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the tasks of a registry')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a task')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a task now')
            [CompletionResult]::new('list-runs', 'list-runs', [CompletionResultType]::ParameterValue, 'List the runs of a registry, newest first')
            [CompletionResult]::new('show-run', 'show-run', [CompletionResultType]::ParameterValue, 'Show a run')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a run''s log (the newest run''s when none is named); follows a run in progress')
            [CompletionResult]::new('cancel-run', 'cancel-run', [CompletionResultType]::ParameterValue, 'Stop a run in progress')
            [CompletionResult]::new('update-run', 'update-run', [CompletionResultType]::ParameterValue, 'Keep a run past the retention period (--no-archive false), or let it go')
            [CompletionResult]::new('check-base', 'check-base', [CompletionResultType]::ParameterValue, 'Show each recorded base image: the digest the last run used, the one served now, and whether a rebuild is due')
            [CompletionResult]::new('rebase', 'rebase', [CompletionResultType]::ParameterValue, 'Rebase the task''s image onto its base as the registry serves it now, without a build (or rebuild, saying why, where a rebase would not be sound); prints the run')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'Show who is built on what: base images, the tasks built on them, the images those push, and the tasks built on those (from the recorded runs)')
            [CompletionResult]::new('credential', 'credential', [CompletionResultType]::ParameterValue, 'Registry credentials a task''s runs log in with')
            [CompletionResult]::new('timer', 'timer', [CompletionResultType]::ParameterValue, 'Timer triggers (cron schedules, UTC)')
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'Managed identities: Azure only; use `task credential add` instead')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;task;create' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Build context: a local directory, a git URL (`URL#branch:folder`), a tarball URL, oci://registry/repo:tag, or /dev/null for none')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Build context: a local directory, a git URL (`URL#branch:folder`), a tarball URL, oci://registry/repo:tag, or /dev/null for none')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A Dockerfile (relative to the context) [default: Dockerfile], or a multi-step task file (.yaml, .yml, .json, .toml), or - to read a task file from stdin')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A Dockerfile (relative to the context) [default: Dockerfile], or a multi-step task file (.yaml, .yml, .json, .toml), or - to read a task file from stdin')
            [CompletionResult]::new('--cmd', '--cmd', [CompletionResultType]::ParameterName, 'A command to run as a one-step task: "IMAGE [ARGS]" (use with -c /dev/null)')
            [CompletionResult]::new('--import-source', '--import-source', [CompletionResultType]::ParameterName, 'Make a mirror task: its runs copy this image (every platform) to the --image names in the task''s registry, and watch copies it again whenever it changes')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Image name and tag to push; repeatable; may use {{.Run.ID}} and other run variables')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Image name and tag to push; repeatable; may use {{.Run.ID}} and other run variables')
            [CompletionResult]::new('--arg', '--arg', [CompletionResultType]::ParameterName, 'Build argument NAME=VALUE; a bare NAME takes the value of that environment variable; repeatable')
            [CompletionResult]::new('--secret-arg', '--secret-arg', [CompletionResultType]::ParameterName, 'Secret build argument, stored, never printed, kept out of logs and process lists; repeatable. It reaches the build as a build argument (an ARG of that name keeps the value in the image''s history) and as a secret for `RUN --mount=type=secret,id=NAME` (a file at /run/secrets/NAME during that step only), which leaves no trace in the image')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Value for a task file''s {{.Values.NAME}}; repeatable')
            [CompletionResult]::new('--set-secret', '--set-secret', [CompletionResultType]::ParameterName, 'Secret value for a task file, stored and never printed; a bare NAME takes the value of that environment variable; repeatable')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'An environment variable of acrt''s that the task file''s `secrets:` may read with `env: NAME` (any other is refused); repeatable; replaces the task''s list on update ("" clears it)')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'A values file for a task file, relative to the context')
            [CompletionResult]::new('--no-push', '--no-push', [CompletionResultType]::ParameterName, 'Build without pushing [create default: false]')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Build without the layer cache [create default: false]')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The Dockerfile stage to build')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'os[/architecture[/variant]]; several, separated by commas, build one image per platform and push an index of them (linux/amd64,linux/arm64) [create default: linux/amd64]')
            [CompletionResult]::new('--platform-lockstep', '--platform-lockstep', [CompletionResultType]::ParameterName, 'With several platforms: a base change on any platform rebuilds (or rebases) every platform together, rather than only those whose base moved [create default: false]')
            [CompletionResult]::new('--cpu', '--cpu', [CompletionResultType]::ParameterName, 'CPUs for a run [create default: 2]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a run may take, 1-28800 [create default: 3600]')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Whether the task runs at all [create default: Enabled]')
            [CompletionResult]::new('--git-access-token', '--git-access-token', [CompletionResultType]::ParameterName, 'Token for a private git context; stored and never printed; - reads it from stdin')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'The git context''s branch, which runs build and the commit trigger follows (as `-c URL#BRANCH`)')
            [CompletionResult]::new('--commit-trigger-enabled', '--commit-trigger-enabled', [CompletionResultType]::ParameterName, 'Run when the git context''s branch gets a commit [create default: true]')
            [CompletionResult]::new('--pull-request-trigger-enabled', '--pull-request-trigger-enabled', [CompletionResultType]::ParameterName, 'Run on pull requests (recorded; acrt has no pull-request source) [create default: false]')
            [CompletionResult]::new('--source-trigger-name', '--source-trigger-name', [CompletionResultType]::ParameterName, 'Name of the source trigger [create default: defaultSourceTriggerName]')
            [CompletionResult]::new('--base-image-trigger-enabled', '--base-image-trigger-enabled', [CompletionResultType]::ParameterName, 'Run when a base image changes under its tag [create default: true]')
            [CompletionResult]::new('--base-image-trigger-name', '--base-image-trigger-name', [CompletionResultType]::ParameterName, 'Name of the base image trigger [create default: defaultBaseimageTriggerName]')
            [CompletionResult]::new('--base-image-trigger-type', '--base-image-trigger-type', [CompletionResultType]::ParameterName, 'Which base images trigger: Runtime (the final stage''s) or All [create default: Runtime]')
            [CompletionResult]::new('--update-trigger-endpoint', '--update-trigger-endpoint', [CompletionResultType]::ParameterName, 'URL that gets a POST for every base-image-triggered run')
            [CompletionResult]::new('--update-trigger-payload-type', '--update-trigger-payload-type', [CompletionResultType]::ParameterName, 'What the POST carries [create default: Default]')
            [CompletionResult]::new('--auth-mode', '--auth-mode', [CompletionResultType]::ParameterName, 'Whether runs log in to the task''s own registry: Default (yes) or None')
            [CompletionResult]::new('--log-template', '--log-template', [CompletionResultType]::ParameterName, 'Run log template, e.g. ''acr/tasks:{{.Run.OS}}''')
            [CompletionResult]::new('--base-image-update', '--base-image-update', [CompletionResultType]::ParameterName, 'When a base changed: rebuild (as ACR), or rebase: swap the base''s layers in the image without a build where that is sound (else rebuild) [default: rebuild]')
            [CompletionResult]::new('--source-date-epoch', '--source-date-epoch', [CompletionResultType]::ParameterName, 'Seconds since 1970 that the images'' timestamps are set to, for reproducible images (SOURCE_DATE_EPOCH); "" clears it [default: the git context''s commit time, else the newest base image''s creation time]')
            [CompletionResult]::new('--retry-elsewhere', '--retry-elsewhere', [CompletionResultType]::ParameterName, 'When the builder a run was sent to stops answering during the build, try the run once more on another builder of the pool that answers [create default: false]')
            [CompletionResult]::new('--schedule', '--schedule', [CompletionResultType]::ParameterName, 'Timer trigger `[NAME:]CRON` (5 fields, UTC); unnamed timers become t1, t2, ...; repeatable')
            [CompletionResult]::new('--assign-identity', '--assign-identity', [CompletionResultType]::ParameterName, 'Azure managed identities have no local meaning (explained on stderr, ignored); runs log in with `task credential add` logins and the user''s own')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--is-system-task', '--is-system-task', [CompletionResultType]::ParameterName, 'ACR''s system task (for customer-managed-key registries) has no local meaning (explained on stderr, ignored)')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;update' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Build context: a local directory, a git URL (`URL#branch:folder`), a tarball URL, oci://registry/repo:tag, or /dev/null for none')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Build context: a local directory, a git URL (`URL#branch:folder`), a tarball URL, oci://registry/repo:tag, or /dev/null for none')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A Dockerfile (relative to the context) [default: Dockerfile], or a multi-step task file (.yaml, .yml, .json, .toml), or - to read a task file from stdin')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A Dockerfile (relative to the context) [default: Dockerfile], or a multi-step task file (.yaml, .yml, .json, .toml), or - to read a task file from stdin')
            [CompletionResult]::new('--cmd', '--cmd', [CompletionResultType]::ParameterName, 'A command to run as a one-step task: "IMAGE [ARGS]" (use with -c /dev/null)')
            [CompletionResult]::new('--import-source', '--import-source', [CompletionResultType]::ParameterName, 'Make a mirror task: its runs copy this image (every platform) to the --image names in the task''s registry, and watch copies it again whenever it changes')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Image name and tag to push; repeatable; may use {{.Run.ID}} and other run variables')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Image name and tag to push; repeatable; may use {{.Run.ID}} and other run variables')
            [CompletionResult]::new('--arg', '--arg', [CompletionResultType]::ParameterName, 'Build argument NAME=VALUE; a bare NAME takes the value of that environment variable; repeatable')
            [CompletionResult]::new('--secret-arg', '--secret-arg', [CompletionResultType]::ParameterName, 'Secret build argument, stored, never printed, kept out of logs and process lists; repeatable. It reaches the build as a build argument (an ARG of that name keeps the value in the image''s history) and as a secret for `RUN --mount=type=secret,id=NAME` (a file at /run/secrets/NAME during that step only), which leaves no trace in the image')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Value for a task file''s {{.Values.NAME}}; repeatable')
            [CompletionResult]::new('--set-secret', '--set-secret', [CompletionResultType]::ParameterName, 'Secret value for a task file, stored and never printed; a bare NAME takes the value of that environment variable; repeatable')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'An environment variable of acrt''s that the task file''s `secrets:` may read with `env: NAME` (any other is refused); repeatable; replaces the task''s list on update ("" clears it)')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'A values file for a task file, relative to the context')
            [CompletionResult]::new('--no-push', '--no-push', [CompletionResultType]::ParameterName, 'Build without pushing [create default: false]')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Build without the layer cache [create default: false]')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The Dockerfile stage to build')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'os[/architecture[/variant]]; several, separated by commas, build one image per platform and push an index of them (linux/amd64,linux/arm64) [create default: linux/amd64]')
            [CompletionResult]::new('--platform-lockstep', '--platform-lockstep', [CompletionResultType]::ParameterName, 'With several platforms: a base change on any platform rebuilds (or rebases) every platform together, rather than only those whose base moved [create default: false]')
            [CompletionResult]::new('--cpu', '--cpu', [CompletionResultType]::ParameterName, 'CPUs for a run [create default: 2]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds a run may take, 1-28800 [create default: 3600]')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Whether the task runs at all [create default: Enabled]')
            [CompletionResult]::new('--git-access-token', '--git-access-token', [CompletionResultType]::ParameterName, 'Token for a private git context; stored and never printed; - reads it from stdin')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'The git context''s branch, which runs build and the commit trigger follows (as `-c URL#BRANCH`)')
            [CompletionResult]::new('--commit-trigger-enabled', '--commit-trigger-enabled', [CompletionResultType]::ParameterName, 'Run when the git context''s branch gets a commit [create default: true]')
            [CompletionResult]::new('--pull-request-trigger-enabled', '--pull-request-trigger-enabled', [CompletionResultType]::ParameterName, 'Run on pull requests (recorded; acrt has no pull-request source) [create default: false]')
            [CompletionResult]::new('--source-trigger-name', '--source-trigger-name', [CompletionResultType]::ParameterName, 'Name of the source trigger [create default: defaultSourceTriggerName]')
            [CompletionResult]::new('--base-image-trigger-enabled', '--base-image-trigger-enabled', [CompletionResultType]::ParameterName, 'Run when a base image changes under its tag [create default: true]')
            [CompletionResult]::new('--base-image-trigger-name', '--base-image-trigger-name', [CompletionResultType]::ParameterName, 'Name of the base image trigger [create default: defaultBaseimageTriggerName]')
            [CompletionResult]::new('--base-image-trigger-type', '--base-image-trigger-type', [CompletionResultType]::ParameterName, 'Which base images trigger: Runtime (the final stage''s) or All [create default: Runtime]')
            [CompletionResult]::new('--update-trigger-endpoint', '--update-trigger-endpoint', [CompletionResultType]::ParameterName, 'URL that gets a POST for every base-image-triggered run')
            [CompletionResult]::new('--update-trigger-payload-type', '--update-trigger-payload-type', [CompletionResultType]::ParameterName, 'What the POST carries [create default: Default]')
            [CompletionResult]::new('--auth-mode', '--auth-mode', [CompletionResultType]::ParameterName, 'Whether runs log in to the task''s own registry: Default (yes) or None')
            [CompletionResult]::new('--log-template', '--log-template', [CompletionResultType]::ParameterName, 'Run log template, e.g. ''acr/tasks:{{.Run.OS}}''')
            [CompletionResult]::new('--base-image-update', '--base-image-update', [CompletionResultType]::ParameterName, 'When a base changed: rebuild (as ACR), or rebase: swap the base''s layers in the image without a build where that is sound (else rebuild) [default: rebuild]')
            [CompletionResult]::new('--source-date-epoch', '--source-date-epoch', [CompletionResultType]::ParameterName, 'Seconds since 1970 that the images'' timestamps are set to, for reproducible images (SOURCE_DATE_EPOCH); "" clears it [default: the git context''s commit time, else the newest base image''s creation time]')
            [CompletionResult]::new('--retry-elsewhere', '--retry-elsewhere', [CompletionResultType]::ParameterName, 'When the builder a run was sent to stops answering during the build, try the run once more on another builder of the pool that answers [create default: false]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;show' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--with-secure-properties', '--with-secure-properties', [CompletionResultType]::ParameterName, 'Show secret values (passwords, tokens, secret arguments) too')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;list' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;delete' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;run' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override the build context for this run')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Override the build context for this run')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Override the Dockerfile or task file for this run')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Override the Dockerfile or task file for this run')
            [CompletionResult]::new('--arg', '--arg', [CompletionResultType]::ParameterName, 'Build argument NAME=VALUE for this run (added to the task''s); repeatable')
            [CompletionResult]::new('--secret-arg', '--secret-arg', [CompletionResultType]::ParameterName, 'Secret build argument for this run; repeatable')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Value for this run; repeatable')
            [CompletionResult]::new('--set-secret', '--set-secret', [CompletionResultType]::ParameterName, 'Secret value for this run; a bare NAME takes the value of that environment variable; repeatable')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Override the Dockerfile stage to build')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'The platforms of this run instead of the task''s: os[/architecture[/variant]], several separated by commas')
            [CompletionResult]::new('--update-trigger-token', '--update-trigger-token', [CompletionResultType]::ParameterName, 'A token recorded on the run (its updateTriggerToken), as az records it')
            [CompletionResult]::new('--log-template', '--log-template', [CompletionResultType]::ParameterName, 'ACR''s log artifact template: acrt keeps each run''s log on this machine (explained on stderr, ignored)')
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'The image builder: buildah, docker or podman on this machine (with a platform it does not build natively going to a builder of the pool that does), or a builder of the pool by its name, for every platform (''acrt builder list'') [default: ACRT_BUILDER, else `acrt config set defaults.builder=...`, else each platform on a builder of the pool that builds it natively, this machine''s first installed among them]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--no-logs', '--no-logs', [CompletionResultType]::ParameterName, 'Do not stream the log: wait for the run to end and print it')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait: print the queued run and let it go on in the background')
            [CompletionResult]::new('--no-format', '--no-format', [CompletionResultType]::ParameterName, 'Print the log without colours (acrt never colours logs; accepted for az scripts)')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;list-runs' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only the runs of this task')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only the runs of this task')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'How many runs to show')
            [CompletionResult]::new('--run-status', '--run-status', [CompletionResultType]::ParameterName, 'Only runs with this status')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only runs that pushed this image (repository[:tag])')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Only runs that pushed this image (repository[:tag])')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;show-run' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--run-id', '--run-id', [CompletionResultType]::ParameterName, 'The run''s ID, e.g. da1')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;logs' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--run-id', '--run-id', [CompletionResultType]::ParameterName, 'The run''s ID')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The newest run of this task')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The newest run of this task')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'The newest run that pushed this image (repository[:tag])')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'The newest run that pushed this image (repository[:tag])')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--no-format', '--no-format', [CompletionResultType]::ParameterName, 'Print the log without colours (acrt never colours logs; accepted for az scripts)')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;cancel-run' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--run-id', '--run-id', [CompletionResultType]::ParameterName, 'The run''s ID, e.g. da1')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;update-run' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--run-id', '--run-id', [CompletionResultType]::ParameterName, 'The run''s ID, e.g. da1')
            [CompletionResult]::new('--no-archive', '--no-archive', [CompletionResultType]::ParameterName, 'false keeps the run (and its log) past the retention period; true lets it be purged')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;check-base' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task to check')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task to check')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Check every task of the registry')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;rebase' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'The image builder for a rebuild, if a rebase is not sound: a kind or a builder of the pool [default: as for task run]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;graph' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'Only what this image reaches: what a patch of it rebuilds, in the order it would')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Print the graph for Graphviz (dot) instead of in the output format')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The public key for --verify (PEM, as cosign.pub) [default: the public half of `acrt config set signing.key=...`]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Check the image each task''s last successful run pushed (by its digest): its cosign signature and provenance verified, unsigned (nothing attached) or invalid; an invalid one (or one the registry cannot show) fails the command after the graph is printed')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;credential' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add credentials for a registry the task''s runs pull from or push to')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Replace the credentials stored for a registry')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the credentials of a registry')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registries a task has credentials for (passwords are never shown)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;task;credential;add' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--login-server', '--login-server', [CompletionResultType]::ParameterName, 'The registry''s login server, e.g. localhost:5001')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User name')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'User name')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Password or token; prefer --password-stdin, which keeps it out of the process list')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password or token; prefer --password-stdin, which keeps it out of the process list')
            [CompletionResult]::new('--use-identity', '--use-identity', [CompletionResultType]::ParameterName, 'Azure managed identities have no local meaning; use -u and -p')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;credential;update' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--login-server', '--login-server', [CompletionResultType]::ParameterName, 'The registry''s login server, e.g. localhost:5001')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User name')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'User name')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Password or token; prefer --password-stdin, which keeps it out of the process list')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password or token; prefer --password-stdin, which keeps it out of the process list')
            [CompletionResult]::new('--use-identity', '--use-identity', [CompletionResultType]::ParameterName, 'Azure managed identities have no local meaning; use -u and -p')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;credential;remove' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--login-server', '--login-server', [CompletionResultType]::ParameterName, 'The registry''s login server')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;credential;list' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;credential;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add credentials for a registry the task''s runs pull from or push to')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Replace the credentials stored for a registry')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the credentials of a registry')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registries a task has credentials for (passwords are never shown)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;task;credential;help;add' {
            break
        }
        'acrt;task;credential;help;update' {
            break
        }
        'acrt;task;credential;help;remove' {
            break
        }
        'acrt;task;credential;help;list' {
            break
        }
        'acrt;task;credential;help;help' {
            break
        }
        'acrt;task;timer' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a timer: the task runs on a cron schedule (5 fields, UTC)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a timer''s schedule or status')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a timer')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a task''s timers')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;task;timer;add' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--timer-name', '--timer-name', [CompletionResultType]::ParameterName, 'The timer''s name')
            [CompletionResult]::new('--schedule', '--schedule', [CompletionResultType]::ParameterName, 'Cron schedule, 5 fields, UTC, e.g. ''0 3 * * *''')
            [CompletionResult]::new('--enabled', '--enabled', [CompletionResultType]::ParameterName, 'Whether the timer fires')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;timer;update' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--timer-name', '--timer-name', [CompletionResultType]::ParameterName, 'The timer''s name')
            [CompletionResult]::new('--schedule', '--schedule', [CompletionResultType]::ParameterName, 'New cron schedule, 5 fields, UTC')
            [CompletionResult]::new('--enabled', '--enabled', [CompletionResultType]::ParameterName, 'Whether the timer fires')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;timer;remove' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--timer-name', '--timer-name', [CompletionResultType]::ParameterName, 'The timer''s name')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;timer;list' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task''s name')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;timer;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a timer: the task runs on a cron schedule (5 fields, UTC)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a timer''s schedule or status')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a timer')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a task''s timers')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;task;timer;help;add' {
            break
        }
        'acrt;task;timer;help;update' {
            break
        }
        'acrt;task;timer;help;remove' {
            break
        }
        'acrt;task;timer;help;list' {
            break
        }
        'acrt;task;timer;help;help' {
            break
        }
        'acrt;task;identity' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Azure only: explains what to use instead')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Azure only: explains what to use instead')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Azure only: explains what to use instead')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;task;identity;assign' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;identity;remove' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;identity;show' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;task;identity;help' {
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Azure only: explains what to use instead')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Azure only: explains what to use instead')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Azure only: explains what to use instead')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;task;identity;help;assign' {
            break
        }
        'acrt;task;identity;help;remove' {
            break
        }
        'acrt;task;identity;help;show' {
            break
        }
        'acrt;task;identity;help;help' {
            break
        }
        'acrt;task;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a task: a Dockerfile build, a multi-step task file, or one command')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a task; options left out keep their values')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a task')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the tasks of a registry')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a task')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a task now')
            [CompletionResult]::new('list-runs', 'list-runs', [CompletionResultType]::ParameterValue, 'List the runs of a registry, newest first')
            [CompletionResult]::new('show-run', 'show-run', [CompletionResultType]::ParameterValue, 'Show a run')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a run''s log (the newest run''s when none is named); follows a run in progress')
            [CompletionResult]::new('cancel-run', 'cancel-run', [CompletionResultType]::ParameterValue, 'Stop a run in progress')
            [CompletionResult]::new('update-run', 'update-run', [CompletionResultType]::ParameterValue, 'Keep a run past the retention period (--no-archive false), or let it go')
            [CompletionResult]::new('check-base', 'check-base', [CompletionResultType]::ParameterValue, 'Show each recorded base image: the digest the last run used, the one served now, and whether a rebuild is due')
            [CompletionResult]::new('rebase', 'rebase', [CompletionResultType]::ParameterValue, 'Rebase the task''s image onto its base as the registry serves it now, without a build (or rebuild, saying why, where a rebase would not be sound); prints the run')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'Show who is built on what: base images, the tasks built on them, the images those push, and the tasks built on those (from the recorded runs)')
            [CompletionResult]::new('credential', 'credential', [CompletionResultType]::ParameterValue, 'Registry credentials a task''s runs log in with')
            [CompletionResult]::new('timer', 'timer', [CompletionResultType]::ParameterValue, 'Timer triggers (cron schedules, UTC)')
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'Managed identities: Azure only; use `task credential add` instead')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;task;help;create' {
            break
        }
        'acrt;task;help;update' {
            break
        }
        'acrt;task;help;show' {
            break
        }
        'acrt;task;help;list' {
            break
        }
        'acrt;task;help;delete' {
            break
        }
        'acrt;task;help;run' {
            break
        }
        'acrt;task;help;list-runs' {
            break
        }
        'acrt;task;help;show-run' {
            break
        }
        'acrt;task;help;logs' {
            break
        }
        'acrt;task;help;cancel-run' {
            break
        }
        'acrt;task;help;update-run' {
            break
        }
        'acrt;task;help;check-base' {
            break
        }
        'acrt;task;help;rebase' {
            break
        }
        'acrt;task;help;graph' {
            break
        }
        'acrt;task;help;credential' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add credentials for a registry the task''s runs pull from or push to')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Replace the credentials stored for a registry')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the credentials of a registry')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registries a task has credentials for (passwords are never shown)')
            break
        }
        'acrt;task;help;credential;add' {
            break
        }
        'acrt;task;help;credential;update' {
            break
        }
        'acrt;task;help;credential;remove' {
            break
        }
        'acrt;task;help;credential;list' {
            break
        }
        'acrt;task;help;timer' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a timer: the task runs on a cron schedule (5 fields, UTC)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a timer''s schedule or status')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a timer')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a task''s timers')
            break
        }
        'acrt;task;help;timer;add' {
            break
        }
        'acrt;task;help;timer;update' {
            break
        }
        'acrt;task;help;timer;remove' {
            break
        }
        'acrt;task;help;timer;list' {
            break
        }
        'acrt;task;help;identity' {
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Azure only: explains what to use instead')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Azure only: explains what to use instead')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Azure only: explains what to use instead')
            break
        }
        'acrt;task;help;identity;assign' {
            break
        }
        'acrt;task;help;identity;remove' {
            break
        }
        'acrt;task;help;identity;show' {
            break
        }
        'acrt;task;help;help' {
            break
        }
        'acrt;taskrun' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the task runs of a registry (every run, newest first)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a task run')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a finished task run and its log')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a task run''s log; follows a run in progress')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;taskrun;list' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;taskrun;show' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task run''s name: its run ID (see `acrt taskrun list`)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task run''s name: its run ID (see `acrt taskrun list`)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;taskrun;delete' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task run''s name: its run ID (see `acrt taskrun list`)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task run''s name: its run ID (see `acrt taskrun list`)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;taskrun;logs' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The task run''s name: its run ID (see `acrt taskrun list`)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The task run''s name: its run ID (see `acrt taskrun list`)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;taskrun;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the task runs of a registry (every run, newest first)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a task run')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a finished task run and its log')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a task run''s log; follows a run in progress')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;taskrun;help;list' {
            break
        }
        'acrt;taskrun;help;show' {
            break
        }
        'acrt;taskrun;help;delete' {
            break
        }
        'acrt;taskrun;help;logs' {
            break
        }
        'acrt;taskrun;help;help' {
            break
        }
        'acrt;build' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Image name and tag to push, relative to the registry; repeatable; may use {{.Run.ID}}')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Image name and tag to push, relative to the registry; repeatable; may use {{.Run.ID}}')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The Dockerfile, relative to the context [default: Dockerfile]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The Dockerfile, relative to the context [default: Dockerfile]')
            [CompletionResult]::new('--build-arg', '--build-arg', [CompletionResultType]::ParameterName, 'Build argument NAME=VALUE (a bare NAME takes the environment variable); repeatable')
            [CompletionResult]::new('--secret-build-arg', '--secret-build-arg', [CompletionResultType]::ParameterName, 'Secret build argument, kept out of logs, process lists and output; repeatable. It reaches the build as a build argument (an ARG of that name keeps the value in the image''s history) and as a secret for `RUN --mount=type=secret,id=NAME` (a file at /run/secrets/NAME during that step only), which leaves no trace in the image')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The Dockerfile stage to build')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'os[/architecture[/variant]]; several, separated by commas, build one image per platform and push an index of them (linux/amd64,linux/arm64)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the build may take')
            [CompletionResult]::new('--source-date-epoch', '--source-date-epoch', [CompletionResultType]::ParameterName, 'Seconds since 1970 that the image''s timestamps are set to, for a reproducible image (SOURCE_DATE_EPOCH) [default: the git context''s commit time, else the newest base image''s creation time]')
            [CompletionResult]::new('--auth-mode', '--auth-mode', [CompletionResultType]::ParameterName, 'Whether the run logs in to its registry with your login: Default (yes) or None')
            [CompletionResult]::new('--log-template', '--log-template', [CompletionResultType]::ParameterName, 'ACR''s log artifact template: acrt keeps each run''s log on this machine (explained on stderr, ignored)')
            [CompletionResult]::new('--source-acr-auth-id', '--source-acr-auth-id', [CompletionResultType]::ParameterName, 'The Azure identity that logs in to the source registry: no local meaning (explained on stderr, ignored)')
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'The image builder: buildah, docker or podman on this machine (with a platform it does not build natively going to a builder of the pool that does), or a builder of the pool by its name, for every platform (''acrt builder list'') [default: ACRT_BUILDER, else `acrt config set defaults.builder=...`, else each platform on a builder of the pool that builds it natively, this machine''s first installed among them]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--no-push', '--no-push', [CompletionResultType]::ParameterName, 'Build without pushing')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Build without the layer cache')
            [CompletionResult]::new('--no-logs', '--no-logs', [CompletionResultType]::ParameterName, 'Do not stream the log: wait for the run to end and print it')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait: print the queued run and let it go on in the background')
            [CompletionResult]::new('--no-format', '--no-format', [CompletionResultType]::ParameterName, 'Print the log without colours (acrt never colours logs; accepted for az scripts)')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;run' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The task file, relative to the source (- reads it from stdin)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The task file, relative to the source (- reads it from stdin)')
            [CompletionResult]::new('--cmd', '--cmd', [CompletionResultType]::ParameterName, 'Run one command as a one-step task: "IMAGE [ARGS]"')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'A values file (YAML), relative to the source')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Value NAME=VALUE for {{.Values.NAME}}; repeatable; wins over --values')
            [CompletionResult]::new('--set-secret', '--set-secret', [CompletionResultType]::ParameterName, 'Secret value, masked in the log; a bare NAME takes the value of that environment variable; repeatable')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'An environment variable of acrt''s that the task file''s `secrets:` may read with `env: NAME` (any other is refused); repeatable')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the run may take')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'os[/architecture[/variant]]; several, separated by commas, build one image per platform and push an index of them (linux/amd64,linux/arm64)')
            [CompletionResult]::new('--auth-mode', '--auth-mode', [CompletionResultType]::ParameterName, 'Whether the run logs in to its registry with your login: Default (yes) or None')
            [CompletionResult]::new('--log-template', '--log-template', [CompletionResultType]::ParameterName, 'ACR''s log artifact template: acrt keeps each run''s log on this machine (explained on stderr, ignored)')
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'The image builder: buildah, docker or podman on this machine (with a platform it does not build natively going to a builder of the pool that does), or a builder of the pool by its name, for every platform (''acrt builder list'') [default: ACRT_BUILDER, else `acrt config set defaults.builder=...`, else each platform on a builder of the pool that builds it natively, this machine''s first installed among them]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--no-logs', '--no-logs', [CompletionResultType]::ParameterName, 'Do not stream the log: wait for the run to end and print it')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait: print the queued run and let it go on in the background')
            [CompletionResult]::new('--no-format', '--no-format', [CompletionResultType]::ParameterName, 'Print the log without colours (acrt never colours logs; accepted for az scripts)')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;scan' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The Dockerfile, relative to the context')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The Dockerfile, relative to the context')
            [CompletionResult]::new('--build-arg', '--build-arg', [CompletionResultType]::ParameterName, 'Build argument NAME=VALUE, as the build would get it; repeatable')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The stage the build stops at')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'os[/architecture[/variant]]; several, separated by commas, scan for each (a row per platform and base); --resolve reports each platform''s digests')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--resolve', '--resolve', [CompletionResultType]::ParameterName, 'Also ask the registries for each base image''s digest')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;import' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The target registry (a login server, an alias, or NAME for NAME.azurecr.io)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The target registry (a login server, an alias, or NAME for NAME.azurecr.io)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'The image to copy: host/repository[:tag|@digest], or a name in the --registry source')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The source registry, when --source names an image without one')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The source registry, when --source names an image without one')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Target name and tag; repeatable [default: the source''s repository and tag]')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Target name and tag; repeatable [default: the source''s repository and tag]')
            [CompletionResult]::new('--repository', '--repository', [CompletionResultType]::ParameterName, 'Target repository to copy into by digest only (no tag); repeatable')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User name')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'User name')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Password or token; prefer --password-stdin, which keeps it out of the process list')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password or token; prefer --password-stdin, which keeps it out of the process list')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite target tags that already exist')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Do not wait: the copy goes on in the background and nothing is printed (as az''s; a failure is not reported: check with ''acrt scan'' or the registry)')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;login' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The registry, as `az acr login -n` names it: the same as -r')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The registry, as `az acr login -n` names it: the same as -r')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User name')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'User name')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Password or token; prefer --password-stdin, which keeps it out of the process list')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Password or token; prefer --password-stdin, which keeps it out of the process list')
            [CompletionResult]::new('--suffix', '--suffix', [CompletionResultType]::ParameterName, 'Azure''s login server suffix: acrt takes the login server as given; ignored')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Check the login and print the registry''s access token as JSON (null for a registry without a token service) instead of storing the login, as `az acr login -t`')
            [CompletionResult]::new('--expose-token', '--expose-token', [CompletionResultType]::ParameterName, 'Check the login and print the registry''s access token as JSON (null for a registry without a token service) instead of storing the login, as `az acr login -t`')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;logout' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;watch' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Seconds between registry checks (a little jitter is added)')
            [CompletionResult]::new('--max-concurrency', '--max-concurrency', [CompletionResultType]::ParameterName, 'Runs at a time, at most [default: the pool''s capacity (the named builders'' capacities and builders.local.capacity, else 1, for this machine); 2 when the config names no builder and no builders.local.capacity]')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Accept the registry''s notification webhook on host:port, and check pushed tags at once')
            [CompletionResult]::new('--builder', '--builder', [CompletionResultType]::ParameterName, 'The image builder for the runs watch starts: a kind (this machine''s builder, beside the pool''s), or a builder of the pool to build everything on [default: as `acrt build`]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Run one cycle and exit (exit 1 if a run it started did not succeed; 4 if a base could not be checked or its tag is gone)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'If another watcher is running, wait for it instead of exiting')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;verify' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The public key (PEM, as `cosign.pub`) the signatures must verify with [default: the public half of `acrt config set signing.key=...`]')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;configure' {
            [CompletionResult]::new('--defaults', '--defaults', [CompletionResultType]::ParameterName, 'KEY=VALUE defaults to set (acr); an empty VALUE removes the default')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'List the defaults that are set')
            [CompletionResult]::new('--list-defaults', '--list-defaults', [CompletionResultType]::ParameterName, 'List the defaults that are set')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;config' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one or more settings: core.output, core.only_show_errors, defaults.acr, registries.ALIAS (a login server -r ALIAS stands for), task_aliases.NAME (the image a task file''s cmd starting with NAME runs, e.g. a mirror of ACR''s acr-cli for acr)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one setting, or all of them')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a setting')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;config;set' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;config;get' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;config;unset' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;config;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one or more settings: core.output, core.only_show_errors, defaults.acr, registries.ALIAS (a login server -r ALIAS stands for), task_aliases.NAME (the image a task file''s cmd starting with NAME runs, e.g. a mirror of ACR''s acr-cli for acr)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one setting, or all of them')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a setting')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;config;help;set' {
            break
        }
        'acrt;config;help;get' {
            break
        }
        'acrt;config;help;unset' {
            break
        }
        'acrt;config;help;help' {
            break
        }
        'acrt;builder' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the builders: this machine''s own (local: builders.local.platforms, .capacity) and those named in the config (builders.NAME.kind, .url, .platforms, .capacity)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one builder: its kind, URL, platforms and capacity, whether it answers, and the runs it is building now')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Ask each builder (or those named) whether it answers, and what it builds with')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;builder;list' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;builder;show' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;builder;check' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;builder;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the builders: this machine''s own (local: builders.local.platforms, .capacity) and those named in the config (builders.NAME.kind, .url, .platforms, .capacity)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one builder: its kind, URL, platforms and capacity, whether it answers, and the runs it is building now')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Ask each builder (or those named) whether it answers, and what it builds with')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;builder;help;list' {
            break
        }
        'acrt;builder;help;show' {
            break
        }
        'acrt;builder;help;check' {
            break
        }
        'acrt;builder;help;help' {
            break
        }
        'acrt;run-worker' {
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'registry')
            [CompletionResult]::new('--run-id', '--run-id', [CompletionResultType]::ParameterName, 'run-id')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;completion' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'JMESPath query applied to the result before it is printed (see https://jmespath.org)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'g')
            [CompletionResult]::new('--resource-group', '--resource-group', [CompletionResultType]::ParameterName, 'resource-group')
            [CompletionResult]::new('--subscription', '--subscription', [CompletionResultType]::ParameterName, 'subscription')
            [CompletionResult]::new('--agent-pool', '--agent-pool', [CompletionResultType]::ParameterName, 'agent-pool')
            [CompletionResult]::new('--only-show-errors', '--only-show-errors', [CompletionResultType]::ParameterName, 'Show errors only; hide warnings')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more about what is being done, on stderr')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show everything acrt does, for bug reports, on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'acrt;help' {
            [CompletionResult]::new('task', 'task', [CompletionResultType]::ParameterValue, 'Manage tasks: definitions, triggers, credentials and timers')
            [CompletionResult]::new('taskrun', 'taskrun', [CompletionResultType]::ParameterValue, 'Show, list, delete and read the logs of task runs (every run, named by its run ID)')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build an image from a context and push it (a quick build, like `az acr build`)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a multi-step task file (build, push and cmd steps), like `az acr run`')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Print the base images a Dockerfile depends on, as a run records them')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Copy an image (every platform of it) into a registry, like `az acr import`')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Check registry credentials and store them where docker, buildah and skopeo look')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove stored registry credentials')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Rebuild the tasks whose base images changed, and run timer and commit triggers')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check an image''s signature and provenance against a public key, and print the provenance')
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'Set defaults, e.g. the registry commands use when -r is not given')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read and change settings in the config file')
            [CompletionResult]::new('builder', 'builder', [CompletionResultType]::ParameterValue, 'List the builders of the pool and check that they answer')
            [CompletionResult]::new('run-worker', 'run-worker', [CompletionResultType]::ParameterValue, 'Execute a queued run (started by --no-wait)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acrt;help;task' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a task: a Dockerfile build, a multi-step task file, or one command')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a task; options left out keep their values')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a task')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the tasks of a registry')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a task')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a task now')
            [CompletionResult]::new('list-runs', 'list-runs', [CompletionResultType]::ParameterValue, 'List the runs of a registry, newest first')
            [CompletionResult]::new('show-run', 'show-run', [CompletionResultType]::ParameterValue, 'Show a run')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a run''s log (the newest run''s when none is named); follows a run in progress')
            [CompletionResult]::new('cancel-run', 'cancel-run', [CompletionResultType]::ParameterValue, 'Stop a run in progress')
            [CompletionResult]::new('update-run', 'update-run', [CompletionResultType]::ParameterValue, 'Keep a run past the retention period (--no-archive false), or let it go')
            [CompletionResult]::new('check-base', 'check-base', [CompletionResultType]::ParameterValue, 'Show each recorded base image: the digest the last run used, the one served now, and whether a rebuild is due')
            [CompletionResult]::new('rebase', 'rebase', [CompletionResultType]::ParameterValue, 'Rebase the task''s image onto its base as the registry serves it now, without a build (or rebuild, saying why, where a rebase would not be sound); prints the run')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'Show who is built on what: base images, the tasks built on them, the images those push, and the tasks built on those (from the recorded runs)')
            [CompletionResult]::new('credential', 'credential', [CompletionResultType]::ParameterValue, 'Registry credentials a task''s runs log in with')
            [CompletionResult]::new('timer', 'timer', [CompletionResultType]::ParameterValue, 'Timer triggers (cron schedules, UTC)')
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'Managed identities: Azure only; use `task credential add` instead')
            break
        }
        'acrt;help;task;create' {
            break
        }
        'acrt;help;task;update' {
            break
        }
        'acrt;help;task;show' {
            break
        }
        'acrt;help;task;list' {
            break
        }
        'acrt;help;task;delete' {
            break
        }
        'acrt;help;task;run' {
            break
        }
        'acrt;help;task;list-runs' {
            break
        }
        'acrt;help;task;show-run' {
            break
        }
        'acrt;help;task;logs' {
            break
        }
        'acrt;help;task;cancel-run' {
            break
        }
        'acrt;help;task;update-run' {
            break
        }
        'acrt;help;task;check-base' {
            break
        }
        'acrt;help;task;rebase' {
            break
        }
        'acrt;help;task;graph' {
            break
        }
        'acrt;help;task;credential' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add credentials for a registry the task''s runs pull from or push to')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Replace the credentials stored for a registry')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the credentials of a registry')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registries a task has credentials for (passwords are never shown)')
            break
        }
        'acrt;help;task;credential;add' {
            break
        }
        'acrt;help;task;credential;update' {
            break
        }
        'acrt;help;task;credential;remove' {
            break
        }
        'acrt;help;task;credential;list' {
            break
        }
        'acrt;help;task;timer' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a timer: the task runs on a cron schedule (5 fields, UTC)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a timer''s schedule or status')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a timer')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a task''s timers')
            break
        }
        'acrt;help;task;timer;add' {
            break
        }
        'acrt;help;task;timer;update' {
            break
        }
        'acrt;help;task;timer;remove' {
            break
        }
        'acrt;help;task;timer;list' {
            break
        }
        'acrt;help;task;identity' {
            [CompletionResult]::new('assign', 'assign', [CompletionResultType]::ParameterValue, 'Azure only: explains what to use instead')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Azure only: explains what to use instead')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Azure only: explains what to use instead')
            break
        }
        'acrt;help;task;identity;assign' {
            break
        }
        'acrt;help;task;identity;remove' {
            break
        }
        'acrt;help;task;identity;show' {
            break
        }
        'acrt;help;taskrun' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the task runs of a registry (every run, newest first)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a task run')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a finished task run and its log')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a task run''s log; follows a run in progress')
            break
        }
        'acrt;help;taskrun;list' {
            break
        }
        'acrt;help;taskrun;show' {
            break
        }
        'acrt;help;taskrun;delete' {
            break
        }
        'acrt;help;taskrun;logs' {
            break
        }
        'acrt;help;build' {
            break
        }
        'acrt;help;run' {
            break
        }
        'acrt;help;scan' {
            break
        }
        'acrt;help;import' {
            break
        }
        'acrt;help;login' {
            break
        }
        'acrt;help;logout' {
            break
        }
        'acrt;help;watch' {
            break
        }
        'acrt;help;verify' {
            break
        }
        'acrt;help;configure' {
            break
        }
        'acrt;help;config' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one or more settings: core.output, core.only_show_errors, defaults.acr, registries.ALIAS (a login server -r ALIAS stands for), task_aliases.NAME (the image a task file''s cmd starting with NAME runs, e.g. a mirror of ACR''s acr-cli for acr)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Show one setting, or all of them')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a setting')
            break
        }
        'acrt;help;config;set' {
            break
        }
        'acrt;help;config;get' {
            break
        }
        'acrt;help;config;unset' {
            break
        }
        'acrt;help;builder' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the builders: this machine''s own (local: builders.local.platforms, .capacity) and those named in the config (builders.NAME.kind, .url, .platforms, .capacity)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one builder: its kind, URL, platforms and capacity, whether it answers, and the runs it is building now')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Ask each builder (or those named) whether it answers, and what it builds with')
            break
        }
        'acrt;help;builder;list' {
            break
        }
        'acrt;help;builder;show' {
            break
        }
        'acrt;help;builder;check' {
            break
        }
        'acrt;help;run-worker' {
            break
        }
        'acrt;help;completion' {
            break
        }
        'acrt;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
