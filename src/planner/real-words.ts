// Real English words one slip away from a lexicon word ("thread" from "threat", "covert" from "convert"): never corrected.
//
// Made with scripts/near-miss-words.mjs from Debian's wamerican and wbritish word lists (SCOWL): every word of five or more
// letters that the typo correction would read as a different lexicon word, less the few whose reading is right
// ("classifies" as "classifier", "logons" as "logins"). Rerun the script after changing a lexicon and review what it lists.
const WORDS = `
  abort addressee analyst analysts attach audio audios auditory averts bacon beach beast black bland blats bleach
  blest blink boast bonnet breath breech broach bushiest busies chair cheek cheeks chick chicks chock chocks chuck
  chucks clarification clarifying classifieds clattering clause cleaner clear cleared cleat cleaved cloistering
  clutter cluttering collections commando commend complainant complaint complaints complaisance complaisant
  compliment conceptions concerning concert concerted concertina concerting concession concoctions concreting
  confection confections conferring confession congesting connectives connectors connexions consenting conserving
  consistent consistently consorting content contenting contentions contest contesting contorting convent convention
  conventions converged converging conversation conversed conversing convicting convictions convulsion corrections
  correlative countering counties court covert deceptions decimation dedication dedications deduce deductions
  defecation defect defection defections deflection deflections deject dejection depictions derivation derivations
  desertions detectives detention detentions detest detraction difference directions distributing distributive
  distributor distributors divination doable doublet doubly duplicators emote emoted emotes enticement evens
  excavating excavation excerpt exhalation exhilaration exhort expert extort farce feels fends feuds fiends fireball
  fores forged forger forges forgot forte generative hastes haunting hinting hurting hushes identity impassable
  importance incest incidental incidentals inclusions incursions indigestion infest infested inflected injected
  instigating instigation intelligent inter interacted intercepted interjected intersected invest irrelevance
  irrelevancy knows lading lager lamer lanes lapel laser later lawyer laxer leafing leaking leaping lease leasing
  leaven lending libel liens likes limes linen linens liner liners links lints literal lives loading lockup lockups
  loins march marches marching massing media medial medias messing metre misting misusing miter modal modals modem
  modems modes mopping motel motels mussing navigation necessarily needled nether neutral newer notwork pastern
  pasterns patent patter patters pease persistent persona personable personae pleas police polices polities polity
  predication predicative predilection predilections producer product productions productive profess projection
  projections prosecution protecting protective protraction prowess qualify radios radium ransom rasher recitation
  refutation reparation repetition repudiation requited resort resorts responsive retort retorts retract revelation
  revelations riles risks roles rubes rubles ruler rulers runes ruses scanting scare scats scorer scorn seats
  sequencer sequencers shimming shipped shipping shore shrike sipped sipping skimped skipper skippering slats
  slimming slipped slipping slope snipped snipping snore spake spanning spats spaying spice spices spies spiky spine
  spines spire spires spite spites splaying spoke spokes spore stabs stags stars starts state states statistician
  status stays stigma stoats store straying stride strife striker stripe strive stroke submarines summery supersized
  supervened supervisor swats swimming swore takers tankers tasting tends tenting texting thread threads throat
  throats timberline timeliness tracer track tract trade trailed trainee trainer trance tread treads treat treats
  treed trendy trice truce unheeded vales valves vibrations wafted waited waned wanked wasted white wonted writer
  writhe writs wrote
`;

export const REAL_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w !== ''));
