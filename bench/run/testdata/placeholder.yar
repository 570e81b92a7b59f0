// Placeholder rules for bench/run until bench/yara/tss.yar exists: six
// generic rules about tech support scam behaviours, so that yara does work
// comparable to a keyword pass over every file. Not a detector.

rule scare_text
{
    strings:
        $a = "virus" nocase
        $b = "infected" nocase
        $c = "security alert" nocase
        $d = "your computer" nocase
        $e = "has been blocked" nocase
        $f = "do not shut down" nocase
        $g = "do not restart" nocase
    condition:
        3 of them
}

rule support_hotline
{
    strings:
        $a = "call" nocase
        $b = "toll free" nocase
        $c = "support" nocase
        $d = "technician" nocase
        $e = "helpline" nocase
        $num = /\+?1?[ (.-]{0,2}8[0-9]{2}[ ).-]{0,2}[0-9]{3}[ .-]?[0-9]{4}/
    condition:
        $num and 2 of ($a, $b, $c, $d, $e)
}

rule call_scheme
{
    strings:
        $tel = "tel:" nocase
        $set = /location(\.href)?\s*=\s*["']tel:/ nocase
        $open = /window\.open\(\s*["']tel:/ nocase
    condition:
        $tel and ($set or $open)
}

rule browser_locker
{
    strings:
        $fs = "requestFullscreen" nocase
        $kb = "keyboard.lock" nocase
        $pl = "requestPointerLock" nocase
        $hist = "history.pushState" nocase
        $unload = "onbeforeunload" nocase
        $alert = /(alert|confirm)\s*\(/
    condition:
        2 of them
}

rule scare_audio
{
    strings:
        $audio = "<audio" nocase
        $auto = "autoplay" nocase
        $loop = "loop" nocase
        $play = ".play()" nocase
    condition:
        $audio and ($auto or $play) and $loop
}

rule obfuscated_script
{
    strings:
        $cc = "String.fromCharCode" nocase
        $un = "unescape(" nocase
        $ev = "eval(" nocase
        $at = "atob(" nocase
        $hex = /\\x[0-9a-fA-F]{2}(\\x[0-9a-fA-F]{2}){15}/
    condition:
        ($ev and ($cc or $un or $at)) or $hex
}
