
use builtin;
use str;

set edit:completion:arg-completer[acrt] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'acrt'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'acrt'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand task 'Manage tasks: definitions, triggers, credentials and timers'
            cand taskrun 'Show, list, delete and read the logs of task runs (every run, named by its run ID)'
            cand build 'Build an image from a context and push it (a quick build, like `az acr build`)'
            cand run 'Run a multi-step task file (build, push and cmd steps), like `az acr run`'
            cand scan 'Print the base images a Dockerfile depends on, as a run records them'
            cand import 'Copy an image (every platform of it) into a registry, like `az acr import`'
            cand login 'Check registry credentials and store them where docker, buildah and skopeo look'
            cand logout 'Remove stored registry credentials'
            cand watch 'Rebuild the tasks whose base images changed, and run timer and commit triggers'
            cand verify 'Check an image''s signature and provenance against a public key, and print the provenance'
            cand configure 'Set defaults, e.g. the registry commands use when -r is not given'
            cand config 'Read and change settings in the config file'
            cand builder 'List the builders of the pool and check that they answer'
            cand run-worker 'Execute a queued run (started by --no-wait)'
            cand completion 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;task'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a task: a Dockerfile build, a multi-step task file, or one command'
            cand update 'Change a task; options left out keep their values'
            cand show 'Show a task'
            cand list 'List the tasks of a registry'
            cand delete 'Delete a task'
            cand run 'Run a task now'
            cand list-runs 'List the runs of a registry, newest first'
            cand show-run 'Show a run'
            cand logs 'Show a run''s log (the newest run''s when none is named); follows a run in progress'
            cand cancel-run 'Stop a run in progress'
            cand update-run 'Keep a run past the retention period (--no-archive false), or let it go'
            cand check-base 'Show each recorded base image: the digest the last run used, the one served now, and whether a rebuild is due'
            cand rebase 'Rebase the task''s image onto its base as the registry serves it now, without a build (or rebuild, saying why, where a rebase would not be sound); prints the run'
            cand graph 'Show who is built on what: base images, the tasks built on them, the images those push, and the tasks built on those (from the recorded runs)'
            cand credential 'Registry credentials a task''s runs log in with'
            cand timer 'Timer triggers (cron schedules, UTC)'
            cand identity 'Managed identities: Azure only; use `task credential add` instead'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;task;create'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -c 'Build context: a local directory, a git URL (`URL#branch:folder`), a tarball URL, oci://registry/repo:tag, or /dev/null for none'
            cand --context 'Build context: a local directory, a git URL (`URL#branch:folder`), a tarball URL, oci://registry/repo:tag, or /dev/null for none'
            cand -f 'A Dockerfile (relative to the context) [default: Dockerfile], or a multi-step task file (.yaml, .yml, .json, .toml), or - to read a task file from stdin'
            cand --file 'A Dockerfile (relative to the context) [default: Dockerfile], or a multi-step task file (.yaml, .yml, .json, .toml), or - to read a task file from stdin'
            cand --cmd 'A command to run as a one-step task: "IMAGE [ARGS]" (use with -c /dev/null)'
            cand --import-source 'Make a mirror task: its runs copy this image (every platform) to the --image names in the task''s registry, and watch copies it again whenever it changes'
            cand -t 'Image name and tag to push; repeatable; may use {{.Run.ID}} and other run variables'
            cand --image 'Image name and tag to push; repeatable; may use {{.Run.ID}} and other run variables'
            cand --arg 'Build argument NAME=VALUE; a bare NAME takes the value of that environment variable; repeatable'
            cand --secret-arg 'Secret build argument, stored, never printed, kept out of logs and process lists; repeatable. It reaches the build as a build argument (an ARG of that name keeps the value in the image''s history) and as a secret for `RUN --mount=type=secret,id=NAME` (a file at /run/secrets/NAME during that step only), which leaves no trace in the image'
            cand --set 'Value for a task file''s {{.Values.NAME}}; repeatable'
            cand --set-secret 'Secret value for a task file, stored and never printed; a bare NAME takes the value of that environment variable; repeatable'
            cand --secret-env 'An environment variable of acrt''s that the task file''s `secrets:` may read with `env: NAME` (any other is refused); repeatable; replaces the task''s list on update ("" clears it)'
            cand --values 'A values file for a task file, relative to the context'
            cand --no-push 'Build without pushing [create default: false]'
            cand --no-cache 'Build without the layer cache [create default: false]'
            cand --target 'The Dockerfile stage to build'
            cand --platform 'os[/architecture[/variant]]; several, separated by commas, build one image per platform and push an index of them (linux/amd64,linux/arm64) [create default: linux/amd64]'
            cand --platform-lockstep 'With several platforms: a base change on any platform rebuilds (or rebases) every platform together, rather than only those whose base moved [create default: false]'
            cand --cpu 'CPUs for a run [create default: 2]'
            cand --timeout 'Seconds a run may take, 1-28800 [create default: 3600]'
            cand --status 'Whether the task runs at all [create default: Enabled]'
            cand --git-access-token 'Token for a private git context; stored and never printed; - reads it from stdin'
            cand --branch 'The git context''s branch, which runs build and the commit trigger follows (as `-c URL#BRANCH`)'
            cand --commit-trigger-enabled 'Run when the git context''s branch gets a commit [create default: true]'
            cand --pull-request-trigger-enabled 'Run on pull requests (recorded; acrt has no pull-request source) [create default: false]'
            cand --source-trigger-name 'Name of the source trigger [create default: defaultSourceTriggerName]'
            cand --base-image-trigger-enabled 'Run when a base image changes under its tag [create default: true]'
            cand --base-image-trigger-name 'Name of the base image trigger [create default: defaultBaseimageTriggerName]'
            cand --base-image-trigger-type 'Which base images trigger: Runtime (the final stage''s) or All [create default: Runtime]'
            cand --update-trigger-endpoint 'URL that gets a POST for every base-image-triggered run'
            cand --update-trigger-payload-type 'What the POST carries [create default: Default]'
            cand --auth-mode 'Whether runs log in to the task''s own registry: Default (yes) or None'
            cand --log-template 'Run log template, e.g. ''acr/tasks:{{.Run.OS}}'''
            cand --base-image-update 'When a base changed: rebuild (as ACR), or rebase: swap the base''s layers in the image without a build where that is sound (else rebuild) [default: rebuild]'
            cand --source-date-epoch 'Seconds since 1970 that the images'' timestamps are set to, for reproducible images (SOURCE_DATE_EPOCH); "" clears it [default: the git context''s commit time, else the newest base image''s creation time]'
            cand --retry-elsewhere 'When the builder a run was sent to stops answering during the build, try the run once more on another builder of the pool that answers [create default: false]'
            cand --schedule 'Timer trigger `[NAME:]CRON` (5 fields, UTC); unnamed timers become t1, t2, ...; repeatable'
            cand --assign-identity 'Azure managed identities have no local meaning (explained on stderr, ignored); runs log in with `task credential add` logins and the user''s own'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --is-system-task 'ACR''s system task (for customer-managed-key registries) has no local meaning (explained on stderr, ignored)'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;update'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -c 'Build context: a local directory, a git URL (`URL#branch:folder`), a tarball URL, oci://registry/repo:tag, or /dev/null for none'
            cand --context 'Build context: a local directory, a git URL (`URL#branch:folder`), a tarball URL, oci://registry/repo:tag, or /dev/null for none'
            cand -f 'A Dockerfile (relative to the context) [default: Dockerfile], or a multi-step task file (.yaml, .yml, .json, .toml), or - to read a task file from stdin'
            cand --file 'A Dockerfile (relative to the context) [default: Dockerfile], or a multi-step task file (.yaml, .yml, .json, .toml), or - to read a task file from stdin'
            cand --cmd 'A command to run as a one-step task: "IMAGE [ARGS]" (use with -c /dev/null)'
            cand --import-source 'Make a mirror task: its runs copy this image (every platform) to the --image names in the task''s registry, and watch copies it again whenever it changes'
            cand -t 'Image name and tag to push; repeatable; may use {{.Run.ID}} and other run variables'
            cand --image 'Image name and tag to push; repeatable; may use {{.Run.ID}} and other run variables'
            cand --arg 'Build argument NAME=VALUE; a bare NAME takes the value of that environment variable; repeatable'
            cand --secret-arg 'Secret build argument, stored, never printed, kept out of logs and process lists; repeatable. It reaches the build as a build argument (an ARG of that name keeps the value in the image''s history) and as a secret for `RUN --mount=type=secret,id=NAME` (a file at /run/secrets/NAME during that step only), which leaves no trace in the image'
            cand --set 'Value for a task file''s {{.Values.NAME}}; repeatable'
            cand --set-secret 'Secret value for a task file, stored and never printed; a bare NAME takes the value of that environment variable; repeatable'
            cand --secret-env 'An environment variable of acrt''s that the task file''s `secrets:` may read with `env: NAME` (any other is refused); repeatable; replaces the task''s list on update ("" clears it)'
            cand --values 'A values file for a task file, relative to the context'
            cand --no-push 'Build without pushing [create default: false]'
            cand --no-cache 'Build without the layer cache [create default: false]'
            cand --target 'The Dockerfile stage to build'
            cand --platform 'os[/architecture[/variant]]; several, separated by commas, build one image per platform and push an index of them (linux/amd64,linux/arm64) [create default: linux/amd64]'
            cand --platform-lockstep 'With several platforms: a base change on any platform rebuilds (or rebases) every platform together, rather than only those whose base moved [create default: false]'
            cand --cpu 'CPUs for a run [create default: 2]'
            cand --timeout 'Seconds a run may take, 1-28800 [create default: 3600]'
            cand --status 'Whether the task runs at all [create default: Enabled]'
            cand --git-access-token 'Token for a private git context; stored and never printed; - reads it from stdin'
            cand --branch 'The git context''s branch, which runs build and the commit trigger follows (as `-c URL#BRANCH`)'
            cand --commit-trigger-enabled 'Run when the git context''s branch gets a commit [create default: true]'
            cand --pull-request-trigger-enabled 'Run on pull requests (recorded; acrt has no pull-request source) [create default: false]'
            cand --source-trigger-name 'Name of the source trigger [create default: defaultSourceTriggerName]'
            cand --base-image-trigger-enabled 'Run when a base image changes under its tag [create default: true]'
            cand --base-image-trigger-name 'Name of the base image trigger [create default: defaultBaseimageTriggerName]'
            cand --base-image-trigger-type 'Which base images trigger: Runtime (the final stage''s) or All [create default: Runtime]'
            cand --update-trigger-endpoint 'URL that gets a POST for every base-image-triggered run'
            cand --update-trigger-payload-type 'What the POST carries [create default: Default]'
            cand --auth-mode 'Whether runs log in to the task''s own registry: Default (yes) or None'
            cand --log-template 'Run log template, e.g. ''acr/tasks:{{.Run.OS}}'''
            cand --base-image-update 'When a base changed: rebuild (as ACR), or rebase: swap the base''s layers in the image without a build where that is sound (else rebuild) [default: rebuild]'
            cand --source-date-epoch 'Seconds since 1970 that the images'' timestamps are set to, for reproducible images (SOURCE_DATE_EPOCH); "" clears it [default: the git context''s commit time, else the newest base image''s creation time]'
            cand --retry-elsewhere 'When the builder a run was sent to stops answering during the build, try the run once more on another builder of the pool that answers [create default: false]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;show'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --with-secure-properties 'Show secret values (passwords, tokens, secret arguments) too'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;list'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;delete'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;run'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -c 'Override the build context for this run'
            cand --context 'Override the build context for this run'
            cand -f 'Override the Dockerfile or task file for this run'
            cand --file 'Override the Dockerfile or task file for this run'
            cand --arg 'Build argument NAME=VALUE for this run (added to the task''s); repeatable'
            cand --secret-arg 'Secret build argument for this run; repeatable'
            cand --set 'Value for this run; repeatable'
            cand --set-secret 'Secret value for this run; a bare NAME takes the value of that environment variable; repeatable'
            cand --target 'Override the Dockerfile stage to build'
            cand --platform 'The platforms of this run instead of the task''s: os[/architecture[/variant]], several separated by commas'
            cand --update-trigger-token 'A token recorded on the run (its updateTriggerToken), as az records it'
            cand --log-template 'ACR''s log artifact template: acrt keeps each run''s log on this machine (explained on stderr, ignored)'
            cand --builder 'The image builder: buildah, docker or podman on this machine (with a platform it does not build natively going to a builder of the pool that does), or a builder of the pool by its name, for every platform (''acrt builder list'') [default: ACRT_BUILDER, else `acrt config set defaults.builder=...`, else each platform on a builder of the pool that builds it natively, this machine''s first installed among them]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --no-logs 'Do not stream the log: wait for the run to end and print it'
            cand --no-wait 'Do not wait: print the queued run and let it go on in the background'
            cand --no-format 'Print the log without colours (acrt never colours logs; accepted for az scripts)'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;list-runs'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -n 'Only the runs of this task'
            cand --name 'Only the runs of this task'
            cand --top 'How many runs to show'
            cand --run-status 'Only runs with this status'
            cand -t 'Only runs that pushed this image (repository[:tag])'
            cand --image 'Only runs that pushed this image (repository[:tag])'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;show-run'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --run-id 'The run''s ID, e.g. da1'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;logs'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --run-id 'The run''s ID'
            cand -n 'The newest run of this task'
            cand --name 'The newest run of this task'
            cand -t 'The newest run that pushed this image (repository[:tag])'
            cand --image 'The newest run that pushed this image (repository[:tag])'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --no-format 'Print the log without colours (acrt never colours logs; accepted for az scripts)'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;cancel-run'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --run-id 'The run''s ID, e.g. da1'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;update-run'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --run-id 'The run''s ID, e.g. da1'
            cand --no-archive 'false keeps the run (and its log) past the retention period; true lets it be purged'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;check-base'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -n 'The task to check'
            cand --name 'The task to check'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --all 'Check every task of the registry'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;rebase'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --builder 'The image builder for a rebuild, if a rebase is not sound: a kind or a builder of the pool [default: as for task run]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;graph'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --base 'Only what this image reaches: what a patch of it rebuilds, in the order it would'
            cand --format 'Print the graph for Graphviz (dot) instead of in the output format'
            cand --key 'The public key for --verify (PEM, as cosign.pub) [default: the public half of `acrt config set signing.key=...`]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --verify 'Check the image each task''s last successful run pushed (by its digest): its cosign signature and provenance verified, unsigned (nothing attached) or invalid; an invalid one (or one the registry cannot show) fails the command after the graph is printed'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;credential'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add credentials for a registry the task''s runs pull from or push to'
            cand update 'Replace the credentials stored for a registry'
            cand remove 'Remove the credentials of a registry'
            cand list 'List the registries a task has credentials for (passwords are never shown)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;task;credential;add'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --login-server 'The registry''s login server, e.g. localhost:5001'
            cand -u 'User name'
            cand --username 'User name'
            cand -p 'Password or token; prefer --password-stdin, which keeps it out of the process list'
            cand --password 'Password or token; prefer --password-stdin, which keeps it out of the process list'
            cand --use-identity 'Azure managed identities have no local meaning; use -u and -p'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --password-stdin 'Read the password from stdin'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;credential;update'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --login-server 'The registry''s login server, e.g. localhost:5001'
            cand -u 'User name'
            cand --username 'User name'
            cand -p 'Password or token; prefer --password-stdin, which keeps it out of the process list'
            cand --password 'Password or token; prefer --password-stdin, which keeps it out of the process list'
            cand --use-identity 'Azure managed identities have no local meaning; use -u and -p'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --password-stdin 'Read the password from stdin'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;credential;remove'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --login-server 'The registry''s login server'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;credential;list'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;credential;help'= {
            cand add 'Add credentials for a registry the task''s runs pull from or push to'
            cand update 'Replace the credentials stored for a registry'
            cand remove 'Remove the credentials of a registry'
            cand list 'List the registries a task has credentials for (passwords are never shown)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;task;credential;help;add'= {
        }
        &'acrt;task;credential;help;update'= {
        }
        &'acrt;task;credential;help;remove'= {
        }
        &'acrt;task;credential;help;list'= {
        }
        &'acrt;task;credential;help;help'= {
        }
        &'acrt;task;timer'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a timer: the task runs on a cron schedule (5 fields, UTC)'
            cand update 'Change a timer''s schedule or status'
            cand remove 'Remove a timer'
            cand list 'List a task''s timers'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;task;timer;add'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --timer-name 'The timer''s name'
            cand --schedule 'Cron schedule, 5 fields, UTC, e.g. ''0 3 * * *'''
            cand --enabled 'Whether the timer fires'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;timer;update'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --timer-name 'The timer''s name'
            cand --schedule 'New cron schedule, 5 fields, UTC'
            cand --enabled 'Whether the timer fires'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;timer;remove'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --timer-name 'The timer''s name'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;timer;list'= {
            cand -n 'The task''s name'
            cand --name 'The task''s name'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;timer;help'= {
            cand add 'Add a timer: the task runs on a cron schedule (5 fields, UTC)'
            cand update 'Change a timer''s schedule or status'
            cand remove 'Remove a timer'
            cand list 'List a task''s timers'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;task;timer;help;add'= {
        }
        &'acrt;task;timer;help;update'= {
        }
        &'acrt;task;timer;help;remove'= {
        }
        &'acrt;task;timer;help;list'= {
        }
        &'acrt;task;timer;help;help'= {
        }
        &'acrt;task;identity'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand assign 'Azure only: explains what to use instead'
            cand remove 'Azure only: explains what to use instead'
            cand show 'Azure only: explains what to use instead'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;task;identity;assign'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;identity;remove'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;identity;show'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;task;identity;help'= {
            cand assign 'Azure only: explains what to use instead'
            cand remove 'Azure only: explains what to use instead'
            cand show 'Azure only: explains what to use instead'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;task;identity;help;assign'= {
        }
        &'acrt;task;identity;help;remove'= {
        }
        &'acrt;task;identity;help;show'= {
        }
        &'acrt;task;identity;help;help'= {
        }
        &'acrt;task;help'= {
            cand create 'Create a task: a Dockerfile build, a multi-step task file, or one command'
            cand update 'Change a task; options left out keep their values'
            cand show 'Show a task'
            cand list 'List the tasks of a registry'
            cand delete 'Delete a task'
            cand run 'Run a task now'
            cand list-runs 'List the runs of a registry, newest first'
            cand show-run 'Show a run'
            cand logs 'Show a run''s log (the newest run''s when none is named); follows a run in progress'
            cand cancel-run 'Stop a run in progress'
            cand update-run 'Keep a run past the retention period (--no-archive false), or let it go'
            cand check-base 'Show each recorded base image: the digest the last run used, the one served now, and whether a rebuild is due'
            cand rebase 'Rebase the task''s image onto its base as the registry serves it now, without a build (or rebuild, saying why, where a rebase would not be sound); prints the run'
            cand graph 'Show who is built on what: base images, the tasks built on them, the images those push, and the tasks built on those (from the recorded runs)'
            cand credential 'Registry credentials a task''s runs log in with'
            cand timer 'Timer triggers (cron schedules, UTC)'
            cand identity 'Managed identities: Azure only; use `task credential add` instead'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;task;help;create'= {
        }
        &'acrt;task;help;update'= {
        }
        &'acrt;task;help;show'= {
        }
        &'acrt;task;help;list'= {
        }
        &'acrt;task;help;delete'= {
        }
        &'acrt;task;help;run'= {
        }
        &'acrt;task;help;list-runs'= {
        }
        &'acrt;task;help;show-run'= {
        }
        &'acrt;task;help;logs'= {
        }
        &'acrt;task;help;cancel-run'= {
        }
        &'acrt;task;help;update-run'= {
        }
        &'acrt;task;help;check-base'= {
        }
        &'acrt;task;help;rebase'= {
        }
        &'acrt;task;help;graph'= {
        }
        &'acrt;task;help;credential'= {
            cand add 'Add credentials for a registry the task''s runs pull from or push to'
            cand update 'Replace the credentials stored for a registry'
            cand remove 'Remove the credentials of a registry'
            cand list 'List the registries a task has credentials for (passwords are never shown)'
        }
        &'acrt;task;help;credential;add'= {
        }
        &'acrt;task;help;credential;update'= {
        }
        &'acrt;task;help;credential;remove'= {
        }
        &'acrt;task;help;credential;list'= {
        }
        &'acrt;task;help;timer'= {
            cand add 'Add a timer: the task runs on a cron schedule (5 fields, UTC)'
            cand update 'Change a timer''s schedule or status'
            cand remove 'Remove a timer'
            cand list 'List a task''s timers'
        }
        &'acrt;task;help;timer;add'= {
        }
        &'acrt;task;help;timer;update'= {
        }
        &'acrt;task;help;timer;remove'= {
        }
        &'acrt;task;help;timer;list'= {
        }
        &'acrt;task;help;identity'= {
            cand assign 'Azure only: explains what to use instead'
            cand remove 'Azure only: explains what to use instead'
            cand show 'Azure only: explains what to use instead'
        }
        &'acrt;task;help;identity;assign'= {
        }
        &'acrt;task;help;identity;remove'= {
        }
        &'acrt;task;help;identity;show'= {
        }
        &'acrt;task;help;help'= {
        }
        &'acrt;taskrun'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the task runs of a registry (every run, newest first)'
            cand show 'Show a task run'
            cand delete 'Delete a finished task run and its log'
            cand logs 'Show a task run''s log; follows a run in progress'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;taskrun;list'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;taskrun;show'= {
            cand -n 'The task run''s name: its run ID (see `acrt taskrun list`)'
            cand --name 'The task run''s name: its run ID (see `acrt taskrun list`)'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;taskrun;delete'= {
            cand -n 'The task run''s name: its run ID (see `acrt taskrun list`)'
            cand --name 'The task run''s name: its run ID (see `acrt taskrun list`)'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;taskrun;logs'= {
            cand -n 'The task run''s name: its run ID (see `acrt taskrun list`)'
            cand --name 'The task run''s name: its run ID (see `acrt taskrun list`)'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;taskrun;help'= {
            cand list 'List the task runs of a registry (every run, newest first)'
            cand show 'Show a task run'
            cand delete 'Delete a finished task run and its log'
            cand logs 'Show a task run''s log; follows a run in progress'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;taskrun;help;list'= {
        }
        &'acrt;taskrun;help;show'= {
        }
        &'acrt;taskrun;help;delete'= {
        }
        &'acrt;taskrun;help;logs'= {
        }
        &'acrt;taskrun;help;help'= {
        }
        &'acrt;build'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -t 'Image name and tag to push, relative to the registry; repeatable; may use {{.Run.ID}}'
            cand --image 'Image name and tag to push, relative to the registry; repeatable; may use {{.Run.ID}}'
            cand -f 'The Dockerfile, relative to the context [default: Dockerfile]'
            cand --file 'The Dockerfile, relative to the context [default: Dockerfile]'
            cand --build-arg 'Build argument NAME=VALUE (a bare NAME takes the environment variable); repeatable'
            cand --secret-build-arg 'Secret build argument, kept out of logs, process lists and output; repeatable. It reaches the build as a build argument (an ARG of that name keeps the value in the image''s history) and as a secret for `RUN --mount=type=secret,id=NAME` (a file at /run/secrets/NAME during that step only), which leaves no trace in the image'
            cand --target 'The Dockerfile stage to build'
            cand --platform 'os[/architecture[/variant]]; several, separated by commas, build one image per platform and push an index of them (linux/amd64,linux/arm64)'
            cand --timeout 'Seconds the build may take'
            cand --source-date-epoch 'Seconds since 1970 that the image''s timestamps are set to, for a reproducible image (SOURCE_DATE_EPOCH) [default: the git context''s commit time, else the newest base image''s creation time]'
            cand --auth-mode 'Whether the run logs in to its registry with your login: Default (yes) or None'
            cand --log-template 'ACR''s log artifact template: acrt keeps each run''s log on this machine (explained on stderr, ignored)'
            cand --source-acr-auth-id 'The Azure identity that logs in to the source registry: no local meaning (explained on stderr, ignored)'
            cand --builder 'The image builder: buildah, docker or podman on this machine (with a platform it does not build natively going to a builder of the pool that does), or a builder of the pool by its name, for every platform (''acrt builder list'') [default: ACRT_BUILDER, else `acrt config set defaults.builder=...`, else each platform on a builder of the pool that builds it natively, this machine''s first installed among them]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --no-push 'Build without pushing'
            cand --no-cache 'Build without the layer cache'
            cand --no-logs 'Do not stream the log: wait for the run to end and print it'
            cand --no-wait 'Do not wait: print the queued run and let it go on in the background'
            cand --no-format 'Print the log without colours (acrt never colours logs; accepted for az scripts)'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;run'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -f 'The task file, relative to the source (- reads it from stdin)'
            cand --file 'The task file, relative to the source (- reads it from stdin)'
            cand --cmd 'Run one command as a one-step task: "IMAGE [ARGS]"'
            cand --values 'A values file (YAML), relative to the source'
            cand --set 'Value NAME=VALUE for {{.Values.NAME}}; repeatable; wins over --values'
            cand --set-secret 'Secret value, masked in the log; a bare NAME takes the value of that environment variable; repeatable'
            cand --secret-env 'An environment variable of acrt''s that the task file''s `secrets:` may read with `env: NAME` (any other is refused); repeatable'
            cand --timeout 'Seconds the run may take'
            cand --platform 'os[/architecture[/variant]]; several, separated by commas, build one image per platform and push an index of them (linux/amd64,linux/arm64)'
            cand --auth-mode 'Whether the run logs in to its registry with your login: Default (yes) or None'
            cand --log-template 'ACR''s log artifact template: acrt keeps each run''s log on this machine (explained on stderr, ignored)'
            cand --builder 'The image builder: buildah, docker or podman on this machine (with a platform it does not build natively going to a builder of the pool that does), or a builder of the pool by its name, for every platform (''acrt builder list'') [default: ACRT_BUILDER, else `acrt config set defaults.builder=...`, else each platform on a builder of the pool that builds it natively, this machine''s first installed among them]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --no-logs 'Do not stream the log: wait for the run to end and print it'
            cand --no-wait 'Do not wait: print the queued run and let it go on in the background'
            cand --no-format 'Print the log without colours (acrt never colours logs; accepted for az scripts)'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;scan'= {
            cand -f 'The Dockerfile, relative to the context'
            cand --file 'The Dockerfile, relative to the context'
            cand --build-arg 'Build argument NAME=VALUE, as the build would get it; repeatable'
            cand --target 'The stage the build stops at'
            cand --platform 'os[/architecture[/variant]]; several, separated by commas, scan for each (a row per platform and base); --resolve reports each platform''s digests'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --resolve 'Also ask the registries for each base image''s digest'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;import'= {
            cand -n 'The target registry (a login server, an alias, or NAME for NAME.azurecr.io)'
            cand --name 'The target registry (a login server, an alias, or NAME for NAME.azurecr.io)'
            cand --source 'The image to copy: host/repository[:tag|@digest], or a name in the --registry source'
            cand -r 'The source registry, when --source names an image without one'
            cand --registry 'The source registry, when --source names an image without one'
            cand -t 'Target name and tag; repeatable [default: the source''s repository and tag]'
            cand --image 'Target name and tag; repeatable [default: the source''s repository and tag]'
            cand --repository 'Target repository to copy into by digest only (no tag); repeatable'
            cand -u 'User name'
            cand --username 'User name'
            cand -p 'Password or token; prefer --password-stdin, which keeps it out of the process list'
            cand --password 'Password or token; prefer --password-stdin, which keeps it out of the process list'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --password-stdin 'Read the password from stdin'
            cand --force 'Overwrite target tags that already exist'
            cand --no-wait 'Do not wait: the copy goes on in the background and nothing is printed (as az''s; a failure is not reported: check with ''acrt scan'' or the registry)'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;login'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -n 'The registry, as `az acr login -n` names it: the same as -r'
            cand --name 'The registry, as `az acr login -n` names it: the same as -r'
            cand -u 'User name'
            cand --username 'User name'
            cand -p 'Password or token; prefer --password-stdin, which keeps it out of the process list'
            cand --password 'Password or token; prefer --password-stdin, which keeps it out of the process list'
            cand --suffix 'Azure''s login server suffix: acrt takes the login server as given; ignored'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --password-stdin 'Read the password from stdin'
            cand -t 'Check the login and print the registry''s access token as JSON (null for a registry without a token service) instead of storing the login, as `az acr login -t`'
            cand --expose-token 'Check the login and print the registry''s access token as JSON (null for a registry without a token service) instead of storing the login, as `az acr login -t`'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;logout'= {
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;watch'= {
            cand --interval 'Seconds between registry checks (a little jitter is added)'
            cand --max-concurrency 'Runs at a time, at most [default: the pool''s capacity (the named builders'' capacities and builders.local.capacity, else 1, for this machine); 2 when the config names no builder and no builders.local.capacity]'
            cand --listen 'Accept the registry''s notification webhook on host:port, and check pushed tags at once'
            cand --builder 'The image builder for the runs watch starts: a kind (this machine''s builder, beside the pool''s), or a builder of the pool to build everything on [default: as `acrt build`]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --once 'Run one cycle and exit (exit 1 if a run it started did not succeed; 4 if a base could not be checked or its tag is gone)'
            cand --wait 'If another watcher is running, wait for it instead of exiting'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;verify'= {
            cand --key 'The public key (PEM, as `cosign.pub`) the signatures must verify with [default: the public half of `acrt config set signing.key=...`]'
            cand -r 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand --registry 'The registry: a login server (localhost:5000, reg.example.com), a name from `acrt config set registries.NAME=SERVER`, or NAME for NAME.azurecr.io [default: `acrt configure --defaults acr=...`, or ACRT_REGISTRY]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;configure'= {
            cand --defaults 'KEY=VALUE defaults to set (acr); an empty VALUE removes the default'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand -l 'List the defaults that are set'
            cand --list-defaults 'List the defaults that are set'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;config'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Set one or more settings: core.output, core.only_show_errors, defaults.acr, registries.ALIAS (a login server -r ALIAS stands for), task_aliases.NAME (the image a task file''s cmd starting with NAME runs, e.g. a mirror of ACR''s acr-cli for acr)'
            cand get 'Show one setting, or all of them'
            cand unset 'Remove a setting'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;config;set'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;config;get'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;config;unset'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;config;help'= {
            cand set 'Set one or more settings: core.output, core.only_show_errors, defaults.acr, registries.ALIAS (a login server -r ALIAS stands for), task_aliases.NAME (the image a task file''s cmd starting with NAME runs, e.g. a mirror of ACR''s acr-cli for acr)'
            cand get 'Show one setting, or all of them'
            cand unset 'Remove a setting'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;config;help;set'= {
        }
        &'acrt;config;help;get'= {
        }
        &'acrt;config;help;unset'= {
        }
        &'acrt;config;help;help'= {
        }
        &'acrt;builder'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the builders: this machine''s own (local: builders.local.platforms, .capacity) and those named in the config (builders.NAME.kind, .url, .platforms, .capacity)'
            cand show 'Show one builder: its kind, URL, platforms and capacity, whether it answers, and the runs it is building now'
            cand check 'Ask each builder (or those named) whether it answers, and what it builds with'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;builder;list'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;builder;show'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;builder;check'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;builder;help'= {
            cand list 'List the builders: this machine''s own (local: builders.local.platforms, .capacity) and those named in the config (builders.NAME.kind, .url, .platforms, .capacity)'
            cand show 'Show one builder: its kind, URL, platforms and capacity, whether it answers, and the runs it is building now'
            cand check 'Ask each builder (or those named) whether it answers, and what it builds with'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;builder;help;list'= {
        }
        &'acrt;builder;help;show'= {
        }
        &'acrt;builder;help;check'= {
        }
        &'acrt;builder;help;help'= {
        }
        &'acrt;run-worker'= {
            cand --registry 'registry'
            cand --run-id 'run-id'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;completion'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --query 'JMESPath query applied to the result before it is printed (see https://jmespath.org)'
            cand --state-dir 'Where acrt keeps its state (tasks, runs, logs) [default: $ACRT_HOME, else the user''s data dir]'
            cand -g 'g'
            cand --resource-group 'resource-group'
            cand --subscription 'subscription'
            cand --agent-pool 'agent-pool'
            cand --only-show-errors 'Show errors only; hide warnings'
            cand --verbose 'Say more about what is being done, on stderr'
            cand --debug 'Show everything acrt does, for bug reports, on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'acrt;help'= {
            cand task 'Manage tasks: definitions, triggers, credentials and timers'
            cand taskrun 'Show, list, delete and read the logs of task runs (every run, named by its run ID)'
            cand build 'Build an image from a context and push it (a quick build, like `az acr build`)'
            cand run 'Run a multi-step task file (build, push and cmd steps), like `az acr run`'
            cand scan 'Print the base images a Dockerfile depends on, as a run records them'
            cand import 'Copy an image (every platform of it) into a registry, like `az acr import`'
            cand login 'Check registry credentials and store them where docker, buildah and skopeo look'
            cand logout 'Remove stored registry credentials'
            cand watch 'Rebuild the tasks whose base images changed, and run timer and commit triggers'
            cand verify 'Check an image''s signature and provenance against a public key, and print the provenance'
            cand configure 'Set defaults, e.g. the registry commands use when -r is not given'
            cand config 'Read and change settings in the config file'
            cand builder 'List the builders of the pool and check that they answer'
            cand run-worker 'Execute a queued run (started by --no-wait)'
            cand completion 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'acrt;help;task'= {
            cand create 'Create a task: a Dockerfile build, a multi-step task file, or one command'
            cand update 'Change a task; options left out keep their values'
            cand show 'Show a task'
            cand list 'List the tasks of a registry'
            cand delete 'Delete a task'
            cand run 'Run a task now'
            cand list-runs 'List the runs of a registry, newest first'
            cand show-run 'Show a run'
            cand logs 'Show a run''s log (the newest run''s when none is named); follows a run in progress'
            cand cancel-run 'Stop a run in progress'
            cand update-run 'Keep a run past the retention period (--no-archive false), or let it go'
            cand check-base 'Show each recorded base image: the digest the last run used, the one served now, and whether a rebuild is due'
            cand rebase 'Rebase the task''s image onto its base as the registry serves it now, without a build (or rebuild, saying why, where a rebase would not be sound); prints the run'
            cand graph 'Show who is built on what: base images, the tasks built on them, the images those push, and the tasks built on those (from the recorded runs)'
            cand credential 'Registry credentials a task''s runs log in with'
            cand timer 'Timer triggers (cron schedules, UTC)'
            cand identity 'Managed identities: Azure only; use `task credential add` instead'
        }
        &'acrt;help;task;create'= {
        }
        &'acrt;help;task;update'= {
        }
        &'acrt;help;task;show'= {
        }
        &'acrt;help;task;list'= {
        }
        &'acrt;help;task;delete'= {
        }
        &'acrt;help;task;run'= {
        }
        &'acrt;help;task;list-runs'= {
        }
        &'acrt;help;task;show-run'= {
        }
        &'acrt;help;task;logs'= {
        }
        &'acrt;help;task;cancel-run'= {
        }
        &'acrt;help;task;update-run'= {
        }
        &'acrt;help;task;check-base'= {
        }
        &'acrt;help;task;rebase'= {
        }
        &'acrt;help;task;graph'= {
        }
        &'acrt;help;task;credential'= {
            cand add 'Add credentials for a registry the task''s runs pull from or push to'
            cand update 'Replace the credentials stored for a registry'
            cand remove 'Remove the credentials of a registry'
            cand list 'List the registries a task has credentials for (passwords are never shown)'
        }
        &'acrt;help;task;credential;add'= {
        }
        &'acrt;help;task;credential;update'= {
        }
        &'acrt;help;task;credential;remove'= {
        }
        &'acrt;help;task;credential;list'= {
        }
        &'acrt;help;task;timer'= {
            cand add 'Add a timer: the task runs on a cron schedule (5 fields, UTC)'
            cand update 'Change a timer''s schedule or status'
            cand remove 'Remove a timer'
            cand list 'List a task''s timers'
        }
        &'acrt;help;task;timer;add'= {
        }
        &'acrt;help;task;timer;update'= {
        }
        &'acrt;help;task;timer;remove'= {
        }
        &'acrt;help;task;timer;list'= {
        }
        &'acrt;help;task;identity'= {
            cand assign 'Azure only: explains what to use instead'
            cand remove 'Azure only: explains what to use instead'
            cand show 'Azure only: explains what to use instead'
        }
        &'acrt;help;task;identity;assign'= {
        }
        &'acrt;help;task;identity;remove'= {
        }
        &'acrt;help;task;identity;show'= {
        }
        &'acrt;help;taskrun'= {
            cand list 'List the task runs of a registry (every run, newest first)'
            cand show 'Show a task run'
            cand delete 'Delete a finished task run and its log'
            cand logs 'Show a task run''s log; follows a run in progress'
        }
        &'acrt;help;taskrun;list'= {
        }
        &'acrt;help;taskrun;show'= {
        }
        &'acrt;help;taskrun;delete'= {
        }
        &'acrt;help;taskrun;logs'= {
        }
        &'acrt;help;build'= {
        }
        &'acrt;help;run'= {
        }
        &'acrt;help;scan'= {
        }
        &'acrt;help;import'= {
        }
        &'acrt;help;login'= {
        }
        &'acrt;help;logout'= {
        }
        &'acrt;help;watch'= {
        }
        &'acrt;help;verify'= {
        }
        &'acrt;help;configure'= {
        }
        &'acrt;help;config'= {
            cand set 'Set one or more settings: core.output, core.only_show_errors, defaults.acr, registries.ALIAS (a login server -r ALIAS stands for), task_aliases.NAME (the image a task file''s cmd starting with NAME runs, e.g. a mirror of ACR''s acr-cli for acr)'
            cand get 'Show one setting, or all of them'
            cand unset 'Remove a setting'
        }
        &'acrt;help;config;set'= {
        }
        &'acrt;help;config;get'= {
        }
        &'acrt;help;config;unset'= {
        }
        &'acrt;help;builder'= {
            cand list 'List the builders: this machine''s own (local: builders.local.platforms, .capacity) and those named in the config (builders.NAME.kind, .url, .platforms, .capacity)'
            cand show 'Show one builder: its kind, URL, platforms and capacity, whether it answers, and the runs it is building now'
            cand check 'Ask each builder (or those named) whether it answers, and what it builds with'
        }
        &'acrt;help;builder;list'= {
        }
        &'acrt;help;builder;show'= {
        }
        &'acrt;help;builder;check'= {
        }
        &'acrt;help;run-worker'= {
        }
        &'acrt;help;completion'= {
        }
        &'acrt;help;help'= {
        }
    ]
    $completions[$command]
}
