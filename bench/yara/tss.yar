/*
  Six generic tech-support-scam rules: the reference a user would run
  instead of tssguard in bench/run (yara -p 1 -r bench/yara/tss.yar DIR).
  They describe concepts (scare claim + hotline shape, locker APIs, call
  schemes clicked by script, URL-parameter numbers, spoken alerts,
  obfuscated loaders), not any one kit's wording.
*/

rule tss_scare_text_with_hotline
{
    meta:
        description = "a scare claim about the visitor's machine next to a support number"
    strings:
        $s1 = /(computer|device|system|pc|browser) (has been|is|was) (blocked|locked|infected|compromised|suspended)/ nocase
        $s2 = /(virus|trojan|spyware|malware)[a-z ]{0,20}(detected|found)/ nocase
        $s3 = /do not (close|restart|shut ?down|turn off)/ nocase
        $s4 = /(call|contact) (microsoft|apple|windows|technical|tech) ?(support|help|technician)/ nocase
        $phone = /\(?\+?1?[ .-]?\(?8[0-9]{2}\)?[ .-]?[0-9]{3}[ .-]?[0-9]{4}/
    condition:
        any of ($s*) and $phone
}

rule tss_browser_locker_apis
{
    meta:
        description = "two or more browser-locking APIs in one page or kit file"
    strings:
        $fs = "requestFullscreen" nocase
        $kb = "keyboard.lock" nocase
        $pl = "requestPointerLock" nocase
        $hp = "history.pushState" nocase
        $bu = "onbeforeunload" nocase
        $al = /while *\( *(true|1) *\) *\{? *(alert|confirm|prompt) *\(/ nocase
    condition:
        2 of them
}

rule tss_call_scheme_autoclick
{
    meta:
        description = "a call-scheme link that script clicks or navigates to"
    strings:
        $tel = /(tel|callto|sip|facetime|facetime-audio|skype):\+?[0-9(][0-9 ().-]{6,}/ nocase
        $click = /\.click\(\)|dispatchEvent\(|location(\.href)? *= *['"](tel|callto|sip|facetime|skype):|window\.open\( *['"](tel|callto|sip):/ nocase
    condition:
        $tel and $click
}

rule tss_scare_audio_or_speech
{
    meta:
        description = "autoplayed looping audio or spoken text next to a scare word"
    strings:
        $sp = "speechSynthesis" nocase
        $au = /<audio[^>]{0,200}autoplay/ nocase
        $na = /new Audio\([^)]{0,200}\)\.play\(|\.loop *= *true/ nocase
        $w = /(virus|infected|warning|alert|security|blocked|hacked)/ nocase
    condition:
        ($sp or $au or $na) and $w
}

rule tss_number_from_url_parameter
{
    meta:
        description = "a phone number read from the page URL and written into the page"
    strings:
        $q = /(URLSearchParams|location\.search)/
        $p = /['"](phone|ph|number|num|tel|n1|tfn)['"]/ nocase
        $w = /(innerHTML|innerText|textContent|document\.write|href *=)/
    condition:
        all of them
}

rule tss_obfuscated_loader_with_scare
{
    meta:
        description = "an obfuscated loader (eval/atob/unescape/fromCharCode) in a page that also names a brand and a scare"
    strings:
        $o1 = /eval\( *(atob|unescape|decodeURIComponent|String\.fromCharCode)\(/ nocase
        $o2 = /document\.write\( *(atob|unescape)\(/ nocase
        $b = /(microsoft|windows defender|apple|mcafee|norton)/ nocase
        $w = /(virus|infected|blocked|hacked|security alert)/ nocase
    condition:
        any of ($o*) and $b and $w
}
