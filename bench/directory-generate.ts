// Realistic Open Referral UK 3.0 services for bench/directory.ts: `writeServices(path, n, seed)` streams n services
// as NDJSON (one service a line) that pass the `service` schema of src/modules/directory/oruk.ts.
//
// The shape of a real regional feed: about n/4 provider organisations (charities, councils, CICs, faith and
// community groups) and about n/2 locations (community centres, libraries, church halls, parks … and a few online
// meeting rooms), both shared between services and clustered around 340 English towns and cities. Each service is
// of a kind (health walk, debt advice drop-in, men's shed, food bank …) that decides its name, description,
// taxonomy terms, venue, schedule, cost and ages; about 15 % are online or by phone with no physical location.
//
// Memory stays flat at any n: an organisation or a location is a pure function of (seed, its index), rebuilt each
// time a service names it, so nothing grows with n but bitmaps of what was used (about n/8 bytes). Every id is a
// UUID derived from the seed and the object's path (v5-shaped, from SHA-1), so ids are unique and the same file
// comes out of the same seed and `asOf` day. Each physical location has its own synthetic, well-formed postcode
// (the town's postcode area, a district and an inward code unique within it); the postcodes used, with their
// coordinates, are written beside the services (`<file>.postcodes.csv`, ONSPD columns pcds,lat,long) so the bench
// can load them into the postcodes table before searching.
//
// Run alone: `npx tsx bench/directory-generate.ts <out.ndjson> [n=1000] [seed=1]`.
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Location, Organization, Service } from '../src/modules/directory/oruk.ts';
import { SHIPPED_TAXONOMY, SHIPPED_TERMS, type ShippedTerm } from '../src/modules/directory/taxonomy.ts';

// ---------------------------------------------------------------------------------------------------------------
// Randomness that depends only on (seed, path)

/** sfc32 over 128 bits of state: small, fast and good enough for synthetic text. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(words: [number, number, number, number]) {
    [this.a, this.b, this.c, this.d] = words;
    for (let i = 0; i < 12; i++) this.next();
  }
  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)]!;
  }
  /** k distinct values, in the order of `values`. */
  some<T>(values: readonly T[], k: number): T[] {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(k, values.length)) chosen.add(Math.floor(this.next() * values.length));
    return [...chosen].sort((x, y) => x - y).map((i) => values[i]!);
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

const digest = (text: string) => createHash('sha1').update(text).digest();

function rngFor(seed: number, path: string): Rng {
  const h = digest(`linkwork-bench-directory/${seed}/${path}`);
  return new Rng([h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)]);
}

/** A v5-shaped UUID of the object's path: unique per path, the same for the same seed. */
function uuidFor(seed: number, path: string): string {
  const h = digest(`linkwork-bench-directory/${seed}/id/${path}`);
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Places: English towns and cities (approximate centres), their postcode area and a weight for their size

interface Town {
  name: string;
  area: string;
  lat: number;
  lon: number;
  weight: number;
}

const TOWN_ROWS = `
Newcastle upon Tyne,NE,54.978,-1.618,8|Sunderland,SR,54.906,-1.381,5|Gateshead,NE,54.953,-1.603,4
Middlesbrough,TS,54.574,-1.235,4|Durham,DH,54.776,-1.576,2|Darlington,DL,54.524,-1.553,3|Hartlepool,TS,54.686,-1.213,2
Stockton-on-Tees,TS,54.570,-1.318,3|South Shields,NE,54.999,-1.433,2|North Shields,NE,55.009,-1.449,2
Whitley Bay,NE,55.040,-1.446,1|Blyth,NE,55.127,-1.509,1|Cramlington,NE,55.086,-1.585,1|Morpeth,NE,55.168,-1.688,1
Hexham,NE,54.971,-2.101,1|Ashington,NE,55.181,-1.568,1|Berwick-upon-Tweed,TD,55.771,-2.007,1|Consett,DH,54.854,-1.831,1
Chester-le-Street,DH,54.859,-1.574,1|Bishop Auckland,DL,54.664,-1.677,1|Newton Aycliffe,DL,54.618,-1.572,1
Peterlee,SR,54.760,-1.336,1|Redcar,TS,54.617,-1.069,2|Washington,NE,54.900,-1.520,2|Jarrow,NE,54.981,-1.490,1
Seaham,SR,54.839,-1.345,1|Guisborough,TS,54.535,-1.056,1
Manchester,M,53.480,-2.242,10|Liverpool,L,53.408,-2.991,8|Salford,M,53.487,-2.290,4|Bolton,BL,53.578,-2.429,4
Wigan,WN,53.545,-2.632,3|Stockport,SK,53.408,-2.149,4|Oldham,OL,53.541,-2.118,3|Rochdale,OL,53.615,-2.155,3
Bury,BL,53.593,-2.298,2|Blackburn,BB,53.748,-2.482,3|Burnley,BB,53.789,-2.248,2|Preston,PR,53.763,-2.703,3
Blackpool,FY,53.817,-3.036,3|Lancaster,LA,54.047,-2.801,2|Morecambe,LA,54.073,-2.869,1|Carlisle,CA,54.892,-2.932,2
Kendal,LA,54.328,-2.746,1|Barrow-in-Furness,LA,54.111,-3.227,1|Whitehaven,CA,54.549,-3.587,1
Workington,CA,54.643,-3.544,1|Penrith,CA,54.664,-2.752,1|Warrington,WA,53.390,-2.597,3|St Helens,WA,53.454,-2.737,2
Widnes,WA,53.361,-2.734,1|Runcorn,WA,53.342,-2.729,1|Chester,CH,53.193,-2.893,2|Crewe,CW,53.099,-2.441,2
Macclesfield,SK,53.259,-2.125,1|Northwich,CW,53.259,-2.518,1|Birkenhead,CH,53.390,-3.023,3|Wallasey,CH,53.423,-3.065,2
Southport,PR,53.645,-3.010,2|Bootle,L,53.446,-2.995,1|Ashton-under-Lyne,OL,53.489,-2.094,2|Altrincham,WA,53.387,-2.349,2
Sale,M,53.425,-2.323,2|Leigh,WN,53.497,-2.519,1|Chorley,PR,53.653,-2.632,1|Accrington,BB,53.753,-2.364,1
Nelson,BB,53.835,-2.218,1|Lytham St Annes,FY,53.743,-2.997,1|Fleetwood,FY,53.923,-3.011,1|Skelmersdale,WN,53.550,-2.776,1
Kirkby,L,53.481,-2.892,1|Ellesmere Port,CH,53.279,-2.902,1|Hyde,SK,53.451,-2.080,1|Heywood,OL,53.592,-2.219,1
Middleton,M,53.555,-2.187,1|Wilmslow,SK,53.326,-2.232,1|Congleton,CW,53.163,-2.217,1|Darwen,BB,53.698,-2.461,1
Leeds,LS,53.800,-1.549,9|Sheffield,S,53.381,-1.470,8|Bradford,BD,53.795,-1.759,6|Hull,HU,53.745,-0.336,5
York,YO,53.960,-1.087,4|Huddersfield,HD,53.646,-1.785,3|Wakefield,WF,53.683,-1.499,3|Doncaster,DN,53.523,-1.128,3
Rotherham,S,53.430,-1.357,3|Barnsley,S,53.553,-1.483,3|Halifax,HX,53.727,-1.863,2|Harrogate,HG,53.992,-1.541,2
Scarborough,YO,54.283,-0.400,2|Grimsby,DN,53.567,-0.081,2|Scunthorpe,DN,53.589,-0.654,2|Dewsbury,WF,53.691,-1.633,2
Keighley,BD,53.867,-1.911,1|Batley,WF,53.705,-1.633,1|Castleford,WF,53.725,-1.362,1|Pontefract,WF,53.691,-1.312,1
Selby,YO,53.784,-1.067,1|Goole,DN,53.703,-0.876,1|Beverley,HU,53.842,-0.435,1|Bridlington,YO,54.083,-0.193,1
Whitby,YO,54.486,-0.615,1|Ripon,HG,54.138,-1.524,1|Skipton,BD,53.962,-2.017,1|Northallerton,DL,54.339,-1.434,1
Wetherby,LS,53.928,-1.386,1|Otley,LS,53.905,-1.693,1|Ilkley,LS,53.925,-1.822,1|Morley,LS,53.740,-1.600,1
Brighouse,HD,53.703,-1.782,1|Cleethorpes,DN,53.560,-0.029,1|Malton,YO,54.135,-0.797,1|Todmorden,OL,53.713,-2.097,1
Hebden Bridge,HX,53.741,-2.013,1|Richmond,DL,54.403,-1.737,1
Nottingham,NG,52.954,-1.158,6|Leicester,LE,52.637,-1.135,6|Derby,DE,52.921,-1.476,4|Northampton,NN,52.237,-0.894,4
Lincoln,LN,53.230,-0.540,3|Mansfield,NG,53.143,-1.198,2|Chesterfield,S,53.235,-1.421,2|Loughborough,LE,52.772,-1.206,2
Kettering,NN,52.398,-0.726,1|Corby,NN,52.488,-0.701,1|Wellingborough,NN,52.302,-0.694,1|Boston,PE,52.978,-0.026,1
Grantham,NG,52.912,-0.642,1|Newark-on-Trent,NG,53.076,-0.809,1|Hinckley,LE,52.541,-1.373,1|Coalville,LE,52.722,-1.370,1
Market Harborough,LE,52.477,-0.921,1|Melton Mowbray,LE,52.766,-0.886,1|Ilkeston,DE,52.971,-1.310,1|Long Eaton,NG,52.898,-1.271,1
Buxton,SK,53.259,-1.911,1|Matlock,DE,53.138,-1.556,1|Glossop,SK,53.443,-1.949,1|Skegness,PE,53.144,0.336,1
Spalding,PE,52.787,-0.153,1|Gainsborough,DN,53.400,-0.775,1|Stamford,PE,52.652,-0.480,1|Worksop,S,53.302,-1.124,1
Swadlincote,DE,52.774,-1.557,1|Retford,DN,53.322,-0.943,1|Sutton-in-Ashfield,NG,53.125,-1.261,1
Birmingham,B,52.486,-1.890,10|Coventry,CV,52.407,-1.510,5|Wolverhampton,WV,52.587,-2.129,4|Stoke-on-Trent,ST,53.003,-2.179,4
Walsall,WS,52.586,-1.982,3|Dudley,DY,52.512,-2.081,3|West Bromwich,B,52.519,-1.995,2|Solihull,B,52.413,-1.778,2
Sutton Coldfield,B,52.563,-1.822,2|Telford,TF,52.677,-2.449,2|Shrewsbury,SY,52.708,-2.754,2|Worcester,WR,52.192,-2.220,2
Hereford,HR,52.056,-2.716,2|Nuneaton,CV,52.523,-1.468,2|Rugby,CV,52.371,-1.262,1|Leamington Spa,CV,52.292,-1.537,1
Stafford,ST,52.807,-2.117,1|Tamworth,B,52.634,-1.695,1|Cannock,WS,52.691,-2.031,1|Lichfield,WS,52.681,-1.826,1
Burton upon Trent,DE,52.802,-1.637,1|Newcastle-under-Lyme,ST,53.012,-2.227,1|Kidderminster,DY,52.388,-2.250,1
Redditch,B,52.306,-1.940,1|Bromsgrove,B,52.335,-2.061,1|Halesowen,B,52.449,-2.050,1|Stourbridge,DY,52.456,-2.147,1
Leek,ST,53.105,-2.023,1|Stratford-upon-Avon,CV,52.192,-1.707,1|Evesham,WR,52.092,-1.947,1|Malvern,WR,52.112,-2.325,1
Ludlow,SY,52.367,-2.718,1|Bridgnorth,WV,52.535,-2.420,1
Norwich,NR,52.630,1.297,4|Peterborough,PE,52.573,-0.241,3|Cambridge,CB,52.205,0.122,3|Ipswich,IP,52.057,1.148,3
Luton,LU,51.879,-0.418,3|Southend-on-Sea,SS,51.538,0.714,3|Colchester,CO,51.889,0.904,2|Chelmsford,CM,51.736,0.479,2
Basildon,SS,51.576,0.488,2|Bedford,MK,52.136,-0.467,2|Watford,WD,51.656,-0.390,2|St Albans,AL,51.752,-0.336,2
Stevenage,SG,51.903,-0.196,2|Hemel Hempstead,HP,51.753,-0.449,2|Harlow,CM,51.771,0.094,1|Great Yarmouth,NR,52.608,1.729,1
King's Lynn,PE,52.754,0.398,1|Lowestoft,NR,52.478,1.751,1|Bury St Edmunds,IP,52.246,0.712,1|Huntingdon,PE,52.331,-0.184,1
Ely,CB,52.399,0.262,1|Thetford,IP,52.413,0.749,1|Clacton-on-Sea,CO,51.789,1.156,1|Braintree,CM,51.878,0.552,1
Grays,RM,51.476,0.323,1|Welwyn Garden City,AL,51.801,-0.204,1|Hitchin,SG,51.949,-0.283,1|Dunstable,LU,51.886,-0.521,1
Felixstowe,IP,51.963,1.351,1|Wisbech,PE,52.666,0.159,1|St Neots,PE,52.228,-0.270,1|Sudbury,CO,52.038,0.731,1
Dereham,NR,52.681,0.940,1|Cromer,NR,52.931,1.302,1|Saffron Walden,CB,52.023,0.239,1|Maldon,CM,51.732,0.676,1
Westminster,SW,51.497,-0.137,3|Camden Town,NW,51.539,-0.142,3|Islington,N,51.538,-0.103,3|Hackney,E,51.545,-0.055,3
Bethnal Green,E,51.527,-0.055,3|Stratford,E,51.541,-0.003,3|Peckham,SE,51.474,-0.069,3|Brixton,SE,51.462,-0.115,3
Lewisham,SE,51.445,-0.021,3|Woolwich,SE,51.490,0.069,2|Croydon,CR,51.376,-0.098,4|Bromley,BR,51.406,0.015,3
Wandsworth,SW,51.457,-0.193,3|Hammersmith,W,51.493,-0.225,2|Ealing,W,51.513,-0.305,3|Hounslow,TW,51.468,-0.361,2
Wembley,HA,51.552,-0.297,3|Harrow,HA,51.580,-0.334,2|Barnet,EN,51.653,-0.200,2|Enfield,EN,51.652,-0.081,3
Tottenham,N,51.588,-0.072,3|Walthamstow,E,51.584,-0.020,3|Ilford,IG,51.559,0.075,3|Barking,IG,51.536,0.081,2
Romford,RM,51.576,0.183,2|Bexleyheath,DA,51.457,0.151,2|Sutton,SM,51.361,-0.193,2|Kingston upon Thames,KT,51.412,-0.300,2
Richmond upon Thames,TW,51.461,-0.303,2|Wimbledon,SW,51.421,-0.206,2|Uxbridge,UB,51.546,-0.478,2|Kensington,W,51.499,-0.194,2
Brighton,BN,50.822,-0.137,4|Southampton,SO,50.910,-1.404,4|Portsmouth,PO,50.805,-1.087,4|Reading,RG,51.454,-0.973,3
Milton Keynes,MK,52.041,-0.760,3|Oxford,OX,51.752,-1.258,3|Slough,SL,51.510,-0.595,2|Crawley,RH,51.109,-0.187,2
Guildford,GU,51.236,-0.570,2|Maidstone,ME,51.272,0.522,2|Canterbury,CT,51.280,1.080,2|Basingstoke,RG,51.267,-1.087,2
Worthing,BN,50.817,-0.372,2|Eastbourne,BN,50.768,0.290,2|Hastings,TN,50.855,0.573,2|Woking,GU,51.319,-0.558,1
High Wycombe,HP,51.629,-0.748,2|Aylesbury,HP,51.817,-0.813,1|Bracknell,RG,51.416,-0.753,1|Wokingham,RG,51.411,-0.834,1
Newbury,RG,51.401,-1.323,1|Maidenhead,SL,51.522,-0.719,1|Windsor,SL,51.483,-0.604,1|Chatham,ME,51.378,0.527,2
Gillingham,ME,51.389,0.549,1|Dartford,DA,51.446,0.217,1|Gravesend,DA,51.441,0.370,1|Sevenoaks,TN,51.272,0.190,1
Tonbridge,TN,51.195,0.275,1|Royal Tunbridge Wells,TN,51.132,0.263,1|Ashford,TN,51.146,0.875,1|Folkestone,CT,51.081,1.166,1
Dover,CT,51.126,1.313,1|Margate,CT,51.389,1.386,1|Ramsgate,CT,51.336,1.416,1|Sittingbourne,ME,51.340,0.733,1
Bognor Regis,PO,50.783,-0.678,1|Chichester,PO,50.837,-0.780,1|Horsham,RH,51.063,-0.326,1|Haywards Heath,RH,51.000,-0.104,1
Lewes,BN,50.873,0.009,1|Hove,BN,50.827,-0.168,1|Winchester,SO,51.063,-1.308,1|Andover,SP,51.208,-1.480,1
Fareham,PO,50.852,-1.179,1|Gosport,PO,50.795,-1.124,1|Havant,PO,50.856,-0.983,1|Eastleigh,SO,50.967,-1.350,1
Newport,PO,50.701,-1.292,1|Ryde,PO,50.729,-1.161,1|Farnborough,GU,51.293,-0.755,1|Aldershot,GU,51.248,-0.763,1
Epsom,KT,51.336,-0.268,1|Redhill,RH,51.240,-0.171,1|Banbury,OX,52.063,-1.340,1|Bicester,OX,51.900,-1.153,1
Abingdon,OX,51.671,-1.283,1|Witney,OX,51.785,-1.484,1|Camberley,GU,51.337,-0.742,1
Bristol,BS,51.455,-2.588,6|Plymouth,PL,50.376,-4.143,4|Exeter,EX,50.718,-3.534,3|Bournemouth,BH,50.720,-1.880,3
Poole,BH,50.715,-1.987,2|Swindon,SN,51.558,-1.782,3|Gloucester,GL,51.864,-2.244,2|Cheltenham,GL,51.900,-2.078,2
Bath,BA,51.381,-2.359,2|Torquay,TQ,50.462,-3.525,2|Taunton,TA,51.015,-3.103,1|Salisbury,SP,51.069,-1.795,1
Weston-super-Mare,BS,51.346,-2.977,2|Yeovil,BA,50.942,-2.633,1|Truro,TR,50.263,-5.051,1|Falmouth,TR,50.154,-5.071,1
Penzance,TR,50.118,-5.537,1|Newquay,TR,50.415,-5.073,1|St Austell,PL,50.340,-4.790,1|Bodmin,PL,50.471,-4.718,1
Barnstaple,EX,51.080,-4.058,1|Exmouth,EX,50.620,-3.413,1|Newton Abbot,TQ,50.529,-3.611,1|Paignton,TQ,50.435,-3.567,1
Tiverton,EX,50.903,-3.488,1|Bridgwater,TA,51.128,-3.003,1|Frome,BA,51.228,-2.320,1|Weymouth,DT,50.614,-2.457,1
Dorchester,DT,50.715,-2.437,1|Chippenham,SN,51.458,-2.116,1|Trowbridge,BA,51.319,-2.208,1|Stroud,GL,51.745,-2.218,1
Cirencester,GL,51.718,-1.968,1|Camborne,TR,50.213,-5.300,1|Minehead,TA,51.204,-3.479,1|Christchurch,BH,50.735,-1.778,1`;

export const TOWNS: readonly Town[] = TOWN_ROWS.trim()
  .split(/[|\n]/)
  .map((row) => {
    const [name, area, lat, lon, weight] = row.split(',');
    return { name: name!, area: area!, lat: Number(lat), lon: Number(lon), weight: Number(weight) };
  });

const HOODS =
  'Northfield|Southgate|Westfield|Eastwood|Highfield|Fairfield|Ashfield|Oakwood|Millbrook|Greenhill|Moorside|Parkside|Brookside|Hillcrest|Woodhouse|Newtown|Bridgefoot|Church End|Kingsway|Queensbury|Stonebridge|Beechwood|Hollins|Lowfield|Marsh Lane|Priory|Abbey Fields|Thornhill|Cherry Tree|Meadowbank|Riverside|Castle Hill|St Anne’s|Old Town|Whitegate|Blackbrook|Elmwood|Foxhill|Holme Park|Longcroft'.split(
    '|',
  );
const STREETS =
  'High Street|Church Street|Station Road|Victoria Road|Park Lane|Mill Lane|Market Street|Queen Street|King Street|Chapel Street|School Lane|Green Lane|Manor Road|Albert Road|York Road|North Street|London Road|Springfield Road|Grove Road|Bridge Street|Castle Street|New Road|Westgate|Broadway|Canal Side|Orchard Way'.split(
    '|',
  );
const SAINTS = [
  'Mary',
  'John',
  'Peter',
  'Paul',
  'Andrew',
  'Michael',
  'George',
  'Luke',
  'Mark',
  'James',
  'Chad',
];
const GIVEN =
  'Sarah|David|Aisha|Tom|Priya|Margaret|Kwame|Joanne|Imran|Helen|Tomasz|Grace|Raj|Bev|Chloe|Ian|Fatima|Steve'.split(
    '|',
  );
const FAMILY =
  'Ahmed|Walker|Patel|Thompson|Nowak|Okafor|Clarke|Begum|Robinson|Hughes|Singh|Wright|Murphy|Khan|Evans|Green'.split(
    '|',
  );

// ---------------------------------------------------------------------------------------------------------------
// Taxonomy

const TERM = new Map(SHIPPED_TERMS.map((t) => [t.code, t]));
const term = (code: string): ShippedTerm => {
  const t = TERM.get(code);
  if (!t) throw new Error(`No shipped taxonomy term with code ${code}`);
  return t;
};

// ---------------------------------------------------------------------------------------------------------------
// Kinds of service

type Day = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';
const DAY_NAME: Record<Day, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const WEEKDAYS: Day[] = ['MO', 'TU', 'WE', 'TH', 'FR'];
const ALL_DAYS: Day[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

type Venue =
  | 'community_centre'
  | 'library'
  | 'church_hall'
  | 'park'
  | 'leisure_centre'
  | 'mosque'
  | 'gurdwara'
  | 'cafe'
  | 'allotment'
  | 'museum'
  | 'workshop'
  | 'advice_centre'
  | 'health_centre'
  | 'village_hall';
const VENUES: readonly [Venue, number][] = [
  ['community_centre', 24],
  ['library', 12],
  ['church_hall', 16],
  ['park', 7],
  ['leisure_centre', 6],
  ['mosque', 3],
  ['gurdwara', 1],
  ['cafe', 6],
  ['allotment', 3],
  ['museum', 2],
  ['workshop', 3],
  ['advice_centre', 6],
  ['health_centre', 5],
  ['village_hall', 6],
];

/** How a service is attended when it has no physical location. */
type Remote = 'online' | 'phone';

interface Ctx {
  town: string;
  hood: string;
  day: string;
  org: string;
}

interface Kind {
  key: string;
  /** Relative frequency. */
  weight: number;
  /** Term codes: the first always, the others each with an even chance (1–3 terms in all). */
  terms: string[];
  names: ((c: Ctx) => string)[];
  venues: Venue[];
  /** Share of these services that have no physical location, and how they are attended then. */
  remote: number;
  remoteBy: Remote[];
  /** Days a week: [fewest, most]; weekend days allowed. */
  days: [number, number];
  weekend?: boolean;
  /** Session times as [opens, closes]. */
  times: [string, string][];
  /** Chance of a monthly rather than weekly schedule. */
  monthly?: number;
  /** Chance of a cost, and the amounts. */
  paid: number;
  prices?: number[];
  priceNote?: string;
  ages?: { chance: number; ranges: [number | undefined, number | undefined][] };
  lead: string[];
  more: string[];
}

const dayName = (c: Ctx) => c.day;
const kinds: Kind[] = [
  {
    key: 'health-walk',
    weight: 7,
    terms: ['walking', 'social-groups'],
    names: [
      (c) => `${dayName(c)} health walk`,
      (c) => `${c.hood} health walk`,
      () => 'Walk and talk group',
      (c) => `${c.town} walking for health`,
      () => 'Buggy walk',
    ],
    venues: ['park', 'community_centre', 'library', 'leisure_centre'],
    remote: 0,
    remoteBy: [],
    days: [1, 2],
    weekend: true,
    times: [
      ['10:00', '11:30'],
      ['10:30', '12:00'],
      ['13:30', '15:00'],
    ],
    paid: 0.15,
    prices: [1],
    priceNote: 'suggested donation',
    ages: { chance: 0.2, ranges: [[18, undefined]] },
    lead: [
      'A friendly, led walk of about an hour at an easy pace on mostly flat paths.',
      'Gentle health walks led by trained volunteer walk leaders, suitable for beginners.',
      'A sociable walk around the local park and canal, finishing with a cuppa.',
    ],
    more: [
      'Wear comfortable shoes and bring water.',
      'Walks go ahead in most weathers.',
      'No need to book: just turn up at the start point a few minutes early.',
      'Walkers can take a shorter loop if they prefer.',
    ],
  },
  {
    key: 'debt-advice',
    weight: 5,
    terms: ['debt-advice', 'benefits-advice', 'energy-support'],
    names: [
      () => 'Debt advice drop-in',
      (c) => `${c.town} money advice clinic`,
      () => 'Free debt and money advice',
      (c) => `${dayName(c)} money advice surgery`,
    ],
    venues: ['advice_centre', 'library', 'community_centre', 'health_centre'],
    remote: 0.2,
    remoteBy: ['phone', 'online'],
    days: [1, 3],
    times: [
      ['09:30', '12:30'],
      ['13:00', '16:00'],
      ['10:00', '14:00'],
    ],
    paid: 0,
    lead: [
      'Free, confidential and impartial advice on debts, bills and budgeting from trained advisers.',
      'Help to deal with debts, priority bills and letters from creditors or bailiffs.',
      'Advisers help people make a plan for their debts and talk to creditors on their behalf.',
    ],
    more: [
      'Bring any letters and bills you have.',
      'Appointments are available as well as drop-in.',
      'We can also check you are getting all the benefits you are entitled to.',
      'Interpreters can be arranged.',
    ],
  },
  {
    key: 'mens-shed',
    weight: 4,
    terms: ['mens-sheds', 'social-groups', 'volunteering'],
    names: [(c) => `${c.hood} Men's Shed`, (c) => `${c.town} Community Shed`, () => "Men's shed"],
    venues: ['workshop', 'community_centre', 'allotment'],
    remote: 0,
    remoteBy: [],
    days: [2, 3],
    times: [
      ['10:00', '15:00'],
      ['09:30', '13:00'],
    ],
    paid: 0.7,
    prices: [1, 2, 3],
    priceNote: 'towards tea and materials',
    ages: { chance: 0.6, ranges: [[18, undefined]] },
    lead: [
      'A community workshop where people come together to make, mend and talk, shoulder to shoulder.',
      'Woodwork, repairs and projects for the community, in a friendly shed with tools and tea.',
    ],
    more: [
      'No experience needed: members share their skills.',
      'Women are welcome too.',
      'We take on repairs and make benches and planters for local groups.',
      'Tools and safety equipment provided.',
    ],
  },
  {
    key: 'choir',
    weight: 4,
    terms: ['singing', 'music', 'social-groups'],
    names: [
      (c) => `${c.hood} community choir`,
      () => 'Singing for wellbeing',
      () => 'Singing for the brain',
      (c) => `${c.town} Rock Choir`,
      () => 'Sing for your lungs',
    ],
    venues: ['church_hall', 'community_centre', 'village_hall'],
    remote: 0.05,
    remoteBy: ['online'],
    days: [1, 1],
    times: [
      ['19:00', '21:00'],
      ['14:00', '15:30'],
      ['10:30', '12:00'],
    ],
    paid: 0.9,
    prices: [3, 4, 5],
    priceNote: 'a session',
    lead: [
      'A friendly community choir singing pop, folk and gospel songs; no auditions and no need to read music.',
      'Singing sessions for people living with dementia and those who care for them.',
      'Relaxed singing for wellbeing, with breathing exercises and well-known songs.',
    ],
    more: [
      'Tea and cake at half time.',
      'Come to a free taster session first.',
      'We perform at local events a few times a year.',
      'Carers and family are welcome.',
    ],
  },
  {
    key: 'chair-exercise',
    weight: 5,
    terms: ['exercise-classes', 'self-management'],
    names: [
      () => 'Chair-based exercise',
      () => 'Seated exercise class',
      () => 'Strength and balance class',
      () => 'Falls prevention exercise',
      () => 'Gentle exercise for older people',
    ],
    venues: ['community_centre', 'leisure_centre', 'church_hall', 'village_hall', 'health_centre'],
    remote: 0.08,
    remoteBy: ['online'],
    days: [1, 2],
    times: [
      ['10:00', '11:00'],
      ['11:00', '12:00'],
      ['14:00', '15:00'],
    ],
    paid: 0.95,
    prices: [2, 2.5, 3, 4],
    priceNote: 'a class',
    ages: {
      chance: 0.6,
      ranges: [
        [50, undefined],
        [60, undefined],
        [65, undefined],
      ],
    },
    lead: [
      'Gentle exercise to music, done seated or standing with a chair for support.',
      'A strength and balance class that helps build confidence and reduce the risk of falls.',
    ],
    more: [
      'Led by a qualified instructor.',
      'Suitable for people with limited mobility.',
      'Wear loose, comfortable clothing.',
      'Stay for tea and a chat afterwards.',
    ],
  },
  {
    key: 'food-bank',
    weight: 5,
    terms: ['food', 'grants'],
    names: [
      (c) => `${c.town} food bank (${c.hood})`,
      (c) => `${c.hood} community pantry`,
      () => 'Food bank',
      () => 'Community fridge',
      (c) => `${c.hood} social supermarket`,
    ],
    venues: ['church_hall', 'community_centre', 'mosque', 'gurdwara', 'cafe'],
    remote: 0,
    remoteBy: [],
    days: [1, 3],
    weekend: true,
    times: [
      ['10:00', '12:00'],
      ['12:00', '14:00'],
      ['17:00', '19:00'],
    ],
    paid: 0.35,
    prices: [3.5, 5],
    priceNote: 'membership a week, for shopping worth much more',
    lead: [
      'Emergency food parcels for people in crisis, with a referral voucher.',
      'A community pantry: members pay a small weekly fee and choose groceries, fresh fruit and vegetables.',
      'Free food for anyone who needs it, with no questions asked.',
    ],
    more: [
      'Toiletries and baby items available.',
      'Volunteers can help with fuel vouchers and signpost to debt advice.',
      'Halal and vegetarian options.',
      'A hot drink and a chat while you wait.',
    ],
  },
  {
    key: 'digital',
    weight: 4,
    terms: ['digital', 'adult-learning'],
    names: [
      () => 'Digital skills café',
      () => 'Get online drop-in',
      () => 'Tablet and smartphone help',
      () => 'Computer club',
      (c) => `${c.town} digital buddies`,
    ],
    venues: ['library', 'community_centre', 'cafe'],
    remote: 0.1,
    remoteBy: ['phone'],
    days: [1, 2],
    times: [
      ['10:00', '12:00'],
      ['13:30', '15:30'],
    ],
    paid: 0.2,
    prices: [1],
    lead: [
      'Friendly help to get online: using a smartphone or tablet, email, video calls and the NHS App.',
      'Bring your own device or borrow one of ours and learn at your own pace with volunteer digital champions.',
    ],
    more: [
      'Free data SIM cards and loan devices for people who need them.',
      'Help with online forms such as Universal Credit and blue badges.',
      'Staying safe online and avoiding scams.',
    ],
  },
  {
    key: 'lunch-club',
    weight: 4,
    terms: ['lunch-clubs', 'social-groups'],
    names: [
      (c) => `${dayName(c)} lunch club`,
      () => 'Community café',
      () => 'Over 60s lunch club',
      () => 'Pay-as-you-feel café',
      (c) => `${c.hood} friendship lunch`,
    ],
    venues: ['church_hall', 'community_centre', 'cafe', 'village_hall'],
    remote: 0,
    remoteBy: [],
    days: [1, 2],
    times: [
      ['12:00', '14:00'],
      ['11:30', '13:30'],
    ],
    paid: 0.95,
    prices: [3, 3.5, 4, 5],
    priceNote: 'for a two-course meal',
    ages: { chance: 0.4, ranges: [[60, undefined]] },
    lead: [
      'A hot two-course lunch and good company, with a quiz or entertainment afterwards.',
      'A warm welcome, home-cooked food and a chance to meet people.',
    ],
    more: [
      'Transport can be arranged for people who cannot get there.',
      'Special diets catered for; please tell us when you book.',
      'Booking is helpful but not essential.',
    ],
  },
  {
    key: 'befriending',
    weight: 4,
    terms: ['befriending', 'social-groups'],
    names: [
      () => 'Telephone befriending',
      () => 'Friendly phone calls',
      (c) => `${c.town} befriending service`,
      () => 'Home visiting befriending',
    ],
    venues: ['community_centre'],
    remote: 0.6,
    remoteBy: ['phone'],
    days: [5, 5],
    times: [
      ['09:00', '17:00'],
      ['10:00', '16:00'],
    ],
    paid: 0,
    ages: {
      chance: 0.6,
      ranges: [
        [60, undefined],
        [65, undefined],
        [18, undefined],
      ],
    },
    lead: [
      'A trained volunteer calls once a week for a chat, at a time that suits you.',
      'One-to-one befriending for people who feel lonely or isolated, by phone or with home visits.',
    ],
    more: [
      'Volunteers are DBS checked.',
      'Matched with a volunteer who shares your interests.',
      'Self-referrals and referrals from professionals welcome.',
    ],
  },
  {
    key: 'garden',
    weight: 4,
    terms: ['gardening', 'volunteering', 'social-groups'],
    names: [
      (c) => `${c.hood} community garden`,
      () => 'Green gym',
      () => 'Therapeutic gardening group',
      (c) => `${c.hood} conservation volunteers`,
      () => 'Grow your own allotment group',
    ],
    venues: ['allotment', 'park', 'community_centre'],
    remote: 0,
    remoteBy: [],
    days: [1, 2],
    weekend: true,
    times: [
      ['10:00', '13:00'],
      ['09:30', '12:30'],
    ],
    paid: 0.2,
    prices: [2],
    priceNote: 'towards tools and seeds',
    lead: [
      'Gardening, growing food and looking after green spaces together, outdoors and at your own pace.',
      'Practical conservation tasks in local parks and nature reserves, with tools and tea provided.',
    ],
    more: [
      'No experience needed.',
      'Take home some of what we grow.',
      'Wear old clothes and sturdy footwear.',
      'Raised beds for people who find bending hard.',
    ],
  },
  {
    key: 'swimming',
    weight: 2,
    terms: ['swimming', 'exercise-classes'],
    names: [
      () => 'Over 50s swim',
      () => 'Women-only swim session',
      () => 'Aqua aerobics',
      () => 'Learn to swim for adults',
    ],
    venues: ['leisure_centre'],
    remote: 0,
    remoteBy: [],
    days: [1, 3],
    weekend: true,
    times: [
      ['07:00', '08:30'],
      ['10:00', '11:00'],
      ['19:00', '20:00'],
    ],
    paid: 0.95,
    prices: [3.5, 4.2, 5],
    priceNote: 'a swim, less with a leisure card',
    ages: {
      chance: 0.5,
      ranges: [
        [50, undefined],
        [16, undefined],
      ],
    },
    lead: [
      'Relaxed swimming sessions in a quieter pool with a lifeguard on duty.',
      'A gentle water-based workout that is kind to joints.',
    ],
    more: ['Changing rooms with step-free access.', 'Hoist available on request.', 'Free for carers.'],
  },
  {
    key: 'dance',
    weight: 2,
    terms: ['dance', 'social-groups'],
    names: [
      () => 'Tea dance',
      () => "Dance for Parkinson's",
      () => 'Seated dance',
      () => 'Line dancing',
      () => 'Bollywood dance class',
    ],
    venues: ['community_centre', 'church_hall', 'village_hall'],
    remote: 0,
    remoteBy: [],
    days: [1, 1],
    times: [
      ['14:00', '16:00'],
      ['19:00', '20:30'],
    ],
    paid: 0.95,
    prices: [3, 4, 5],
    priceNote: 'including tea and cake',
    lead: [
      'Dancing to music from the 1940s to today in a friendly, welcoming group.',
      'A fun dance class for all abilities; no partner needed.',
    ],
    more: ['Beginners especially welcome.', 'Chairs available for anyone who needs to sit.'],
  },
  {
    key: 'crafts',
    weight: 4,
    terms: ['arts-crafts', 'social-groups'],
    names: [
      () => 'Knit and natter',
      () => 'Craft club',
      () => 'Art for wellbeing',
      (c) => `${c.hood} sewing circle`,
      () => 'Pottery for beginners',
    ],
    venues: ['library', 'community_centre', 'church_hall', 'cafe', 'museum'],
    remote: 0.05,
    remoteBy: ['online'],
    days: [1, 1],
    times: [
      ['10:00', '12:00'],
      ['13:30', '15:30'],
      ['18:30', '20:30'],
    ],
    paid: 0.7,
    prices: [2, 3, 5],
    priceNote: 'materials included',
    lead: [
      'A relaxed creative group: bring your own project or try something new.',
      'Art sessions led by local artists, for people who want to try painting, drawing and collage.',
    ],
    more: ['All materials provided.', 'Tea, coffee and biscuits.', 'Complete beginners welcome.'],
  },
  {
    key: 'reading',
    weight: 2,
    terms: ['writing-reading', 'museums-heritage'],
    names: [
      () => 'Library book club',
      () => 'Shared reading group',
      () => 'Creative writing group',
      () => 'Memory lane reminiscence group',
    ],
    venues: ['library', 'museum', 'cafe'],
    remote: 0.1,
    remoteBy: ['online'],
    days: [1, 1],
    monthly: 0.5,
    times: [
      ['14:00', '15:30'],
      ['18:00', '19:30'],
    ],
    paid: 0.3,
    prices: [1, 2],
    priceNote: 'a session, for tea and biscuits',
    lead: [
      'We read short stories and poems aloud together and talk about them; no preparation needed.',
      'A friendly book club that chooses a new book each month; library copies provided.',
    ],
    more: ['Large-print and audio copies available.', 'Refreshments provided.'],
  },
  {
    key: 'museum',
    weight: 1,
    terms: ['museums-heritage', 'volunteering'],
    names: [
      (c) => `${c.town} Museum memories session`,
      () => 'Heritage volunteers',
      () => 'Museum on prescription',
    ],
    venues: ['museum', 'library'],
    remote: 0,
    remoteBy: [],
    days: [1, 1],
    monthly: 0.5,
    times: [['10:30', '12:30']],
    paid: 0.3,
    prices: [3],
    priceNote: 'a session, including museum entry',
    lead: [
      'Handle objects from the collection and share memories in a small, relaxed group.',
      'Help care for local history collections alongside museum staff.',
    ],
    more: ['Step-free access throughout.', 'Free entry.'],
  },
  {
    key: 'music',
    weight: 2,
    terms: ['music', 'social-groups'],
    names: [
      () => 'Ukulele group',
      () => 'Music for wellbeing',
      () => 'Community drumming',
      () => 'Open mic night',
    ],
    venues: ['community_centre', 'church_hall', 'cafe'],
    remote: 0,
    remoteBy: [],
    days: [1, 1],
    times: [
      ['18:30', '20:30'],
      ['14:00', '16:00'],
    ],
    paid: 0.8,
    prices: [2, 3],
    lead: [
      'Play music together in a friendly group; instruments to borrow.',
      'Relaxed music sessions to lift the mood, for any level.',
    ],
    more: ['No experience needed.', 'We play at local care homes.'],
  },
  {
    key: 'benefits',
    weight: 3,
    terms: ['benefits-advice', 'debt-advice'],
    names: [
      () => 'Benefits check clinic',
      () => 'Help with benefit claims',
      () => 'Welfare rights advice',
      () => 'Pension Credit advice',
    ],
    venues: ['advice_centre', 'library', 'health_centre', 'community_centre'],
    remote: 0.2,
    remoteBy: ['phone'],
    days: [1, 3],
    times: [
      ['09:30', '12:30'],
      ['13:30', '16:30'],
    ],
    paid: 0,
    lead: [
      'A free benefits check to find out what you could claim, and help to fill in the forms.',
      'Welfare rights advisers help with claims, reviews and appeals, including PIP and Universal Credit.',
    ],
    more: ['Home visits for people who cannot come in.', 'Bring proof of income if you can.'],
  },
  {
    key: 'energy',
    weight: 2,
    terms: ['energy-support', 'debt-advice'],
    names: [
      () => 'Warm space',
      () => 'Energy advice surgery',
      () => 'Keep warm, stay well',
      () => 'Fuel poverty advice',
    ],
    venues: ['library', 'community_centre', 'church_hall'],
    remote: 0.2,
    remoteBy: ['phone'],
    days: [1, 5],
    times: [
      ['10:00', '16:00'],
      ['09:00', '12:00'],
    ],
    paid: 0,
    lead: [
      'Help to cut energy bills, deal with arrears and apply for grants and the Warm Home Discount.',
      'A warm, welcoming space with free hot drinks, Wi-Fi and company during the colder months.',
    ],
    more: ['Free energy-saving packs.', 'Advisers can talk to your supplier with you.'],
  },
  {
    key: 'housing',
    weight: 2,
    terms: ['housing-advice', 'homelessness', 'legal-advice'],
    names: [
      () => 'Housing advice surgery',
      () => 'Tenancy support',
      () => 'Private renters advice',
      () => 'Drop-in for people sleeping rough',
    ],
    venues: ['advice_centre', 'community_centre', 'church_hall'],
    remote: 0.25,
    remoteBy: ['phone'],
    days: [1, 3],
    times: [
      ['09:30', '12:30'],
      ['13:00', '16:00'],
    ],
    paid: 0,
    lead: [
      'Advice on renting, repairs, rent arrears and tenancy problems, including help if you are at risk of eviction.',
      'Support for people who are homeless or at risk, with a hot meal, showers and housing advice.',
    ],
    more: ['Urgent cases seen the same day.', 'Advisers can refer to emergency accommodation.'],
  },
  {
    key: 'handyperson',
    weight: 2,
    terms: ['home-adaptations'],
    names: [() => 'Handyperson service', () => 'Home safety checks', () => 'Small repairs and adaptations'],
    venues: [],
    remote: 1,
    remoteBy: ['phone'],
    days: [5, 5],
    times: [['09:00', '17:00']],
    paid: 0.7,
    prices: [15, 20],
    priceNote: 'an hour plus materials; free for people on means-tested benefits',
    ages: {
      chance: 0.6,
      ranges: [
        [60, undefined],
        [65, undefined],
      ],
    },
    lead: [
      'Small jobs around the home, grab rails and key safes fitted by trusted, DBS-checked handypeople.',
      'Free home safety checks and small adaptations to help people stay independent at home.',
    ],
    more: ['Call to book a visit.', 'Referrals from health and social care accepted.'],
  },
  {
    key: 'peer-support',
    weight: 5,
    terms: ['peer-support', 'mindfulness'],
    names: [
      () => 'Mental health peer support group',
      () => "Men's mental health group",
      () => 'Anxiety support group',
      () => 'Andy’s Man Club',
      () => 'Wellbeing café',
      () => 'Hearing voices group',
    ],
    venues: ['community_centre', 'church_hall', 'cafe', 'health_centre'],
    remote: 0.12,
    remoteBy: ['online'],
    days: [1, 1],
    times: [
      ['19:00', '21:00'],
      ['18:30', '20:00'],
      ['13:00', '15:00'],
    ],
    paid: 0,
    ages: { chance: 0.5, ranges: [[18, undefined]] },
    lead: [
      'A safe, confidential space to talk with people who understand, because they have been there too.',
      'A peer-led group where people share their experiences of mental health and support each other.',
    ],
    more: [
      'No need to book and no need to talk until you are ready.',
      'Facilitators are trained volunteers.',
    ],
  },
  {
    key: 'talking-therapies',
    weight: 2,
    terms: ['talking-therapies'],
    names: [
      (c) => `NHS Talking Therapies ${c.town}`,
      () => 'Low-cost counselling',
      () => 'Counselling service',
    ],
    venues: ['health_centre', 'community_centre'],
    remote: 0.45,
    remoteBy: ['phone', 'online'],
    days: [5, 5],
    times: [
      ['09:00', '17:00'],
      ['08:30', '20:00'],
    ],
    paid: 0.4,
    prices: [10, 20, 30],
    priceNote: 'a session on a sliding scale',
    ages: {
      chance: 0.8,
      ranges: [
        [16, undefined],
        [18, undefined],
      ],
    },
    lead: [
      'Talking therapies for common problems such as low mood, stress and anxiety; self-referral welcome.',
      'Counselling with qualified counsellors, face to face, by video or by phone.',
    ],
    more: ['Waiting times are on our website.', 'Evening appointments available.'],
  },
  {
    key: 'mindfulness',
    weight: 2,
    terms: ['mindfulness', 'exercise-classes'],
    names: [
      () => 'Mindfulness for beginners',
      () => 'Tai chi',
      () => 'Stress control course',
      () => 'Gentle yoga',
    ],
    venues: ['community_centre', 'library', 'leisure_centre', 'church_hall'],
    remote: 0.2,
    remoteBy: ['online'],
    days: [1, 1],
    times: [
      ['18:00', '19:30'],
      ['10:00', '11:00'],
    ],
    paid: 0.9,
    prices: [3, 5, 6],
    lead: [
      'Learn simple mindfulness and relaxation techniques to manage stress and sleep better.',
      'Slow, gentle movement and breathing to improve balance and calm the mind.',
    ],
    more: ['Mats and chairs provided.', 'A six-week course that starts every term.'],
  },
  {
    key: 'bereavement',
    weight: 2,
    terms: ['bereavement', 'peer-support'],
    names: [
      () => 'Bereavement café',
      () => 'Bereavement support group',
      () => 'Walking through grief',
      () => 'Cruse bereavement support',
    ],
    venues: ['church_hall', 'cafe', 'community_centre', 'health_centre'],
    remote: 0.2,
    remoteBy: ['phone'],
    days: [1, 1],
    monthly: 0.5,
    times: [
      ['14:00', '16:00'],
      ['10:30', '12:00'],
    ],
    paid: 0,
    lead: [
      'A relaxed space for people who have lost someone close to meet others who understand.',
      'Support after someone dies, one to one or in a group, however long ago the death was.',
    ],
    more: ['Come as often as you like.', 'Trained bereavement volunteers are there to listen.'],
  },
  {
    key: 'transport',
    weight: 2,
    terms: ['transport'],
    names: [() => 'Dial-a-ride', () => 'Community car scheme', (c) => `${c.town} community transport`],
    venues: [],
    remote: 1,
    remoteBy: ['phone'],
    days: [5, 5],
    times: [['09:00', '16:00']],
    paid: 1,
    prices: [2, 3, 4.5],
    priceNote: 'a journey, or 45p a mile for car scheme trips',
    lead: [
      'Door-to-door transport for people who cannot use buses, to appointments, shops and social activities.',
      'Volunteer drivers take people to GP and hospital appointments in their own cars.',
    ],
    more: ['Book at least two days ahead.', 'Wheelchair-accessible minibuses.'],
  },
  {
    key: 'carers',
    weight: 3,
    terms: ['carers', 'peer-support'],
    names: [
      () => "Carers' coffee morning",
      () => 'Young carers group',
      () => "Carers' support line",
      (c) => `${c.town} carers centre drop-in`,
    ],
    venues: ['community_centre', 'cafe', 'library'],
    remote: 0.2,
    remoteBy: ['phone', 'online'],
    days: [1, 2],
    monthly: 0.3,
    times: [
      ['10:00', '12:00'],
      ['16:00', '18:00'],
    ],
    paid: 0,
    ages: { chance: 0.2, ranges: [[8, 17]] },
    lead: [
      'Information, a listening ear and a break for unpaid carers, with other carers who understand.',
      'Support for people who look after a family member or friend, including carer assessments and emergency plans.',
    ],
    more: ['Replacement care can be arranged so you can attend.', 'Carers’ discount cards available.'],
  },
  {
    key: 'volunteering',
    weight: 2,
    terms: ['volunteering', 'employment'],
    names: [
      (c) => `${c.town} volunteer centre drop-in`,
      () => 'Volunteer with us',
      () => 'Supported volunteering',
    ],
    venues: ['community_centre', 'library', 'advice_centre'],
    remote: 0.2,
    remoteBy: ['online'],
    days: [1, 2],
    times: [['10:00', '13:00']],
    paid: 0,
    ages: {
      chance: 0.5,
      ranges: [
        [16, undefined],
        [18, undefined],
      ],
    },
    lead: [
      'Find a volunteering role that suits you, with support to get started.',
      'Supported volunteering for people who would like a little extra help to take the first step.',
    ],
    more: ['Travel expenses paid.', 'Roles in gardening, cafés, shops and events.'],
  },
  {
    key: 'adult-learning',
    weight: 3,
    terms: ['adult-learning', 'employment', 'digital'],
    names: [
      () => 'English conversation class (ESOL)',
      () => 'Family learning',
      () => 'Maths and English for adults',
      () => 'Cookery on a budget course',
    ],
    venues: ['library', 'community_centre', 'mosque', 'church_hall'],
    remote: 0.1,
    remoteBy: ['online'],
    days: [1, 2],
    times: [
      ['09:30', '11:30'],
      ['13:00', '15:00'],
      ['18:00', '20:00'],
    ],
    paid: 0.4,
    prices: [10, 25],
    priceNote: 'for the course; free for people on benefits',
    ages: {
      chance: 0.7,
      ranges: [
        [19, undefined],
        [16, undefined],
      ],
    },
    lead: [
      'Friendly classes to build confidence in speaking, reading and writing English.',
      'Free courses for adults, with crèche places on some.',
    ],
    more: ['Enrol at any time.', 'A certificate on completion.'],
  },
  {
    key: 'employment',
    weight: 2,
    terms: ['employment', 'adult-learning'],
    names: [
      () => 'Jobs club',
      () => 'Employment support for over 50s',
      () => 'CV and interview help',
      () => 'Work and health coaching',
    ],
    venues: ['library', 'community_centre', 'advice_centre'],
    remote: 0.2,
    remoteBy: ['phone', 'online'],
    days: [1, 2],
    times: [['10:00', '12:30']],
    paid: 0,
    ages: {
      chance: 0.6,
      ranges: [
        [16, 24],
        [18, undefined],
        [50, undefined],
      ],
    },
    lead: [
      'Help with CVs, job searches, applications and interviews from experienced coaches.',
      'One-to-one support to find work, or stay in work with a health condition.',
    ],
    more: ['Free computers and printing.', 'Drop in or book an appointment.'],
  },
  {
    key: 'immigration',
    weight: 1,
    terms: ['immigration', 'legal-advice'],
    names: [
      () => 'Immigration advice clinic',
      () => 'Refugee and asylum seeker drop-in',
      () => 'EU settlement advice',
    ],
    venues: ['advice_centre', 'church_hall', 'community_centre'],
    remote: 0.2,
    remoteBy: ['phone'],
    days: [1, 1],
    times: [['10:00', '13:00']],
    paid: 0,
    lead: [
      'Free advice on immigration, asylum and visa questions from regulated (OISC) advisers.',
      'A welcoming drop-in for refugees and people seeking asylum, with advice, English classes and a hot meal.',
    ],
    more: ['Interpreters available.', 'Bring your documents if you have them.'],
  },
  {
    key: 'legal',
    weight: 1,
    terms: ['legal-advice'],
    names: [() => 'Free legal advice clinic', () => 'Employment rights advice', () => 'Law centre drop-in'],
    venues: ['advice_centre', 'library'],
    remote: 0.3,
    remoteBy: ['phone'],
    days: [1, 1],
    times: [['18:00', '20:00']],
    paid: 0,
    lead: [
      'Free initial advice from volunteer solicitors on family, employment and consumer problems.',
      'Legal advice on employment, discrimination and welfare benefits.',
    ],
    more: ['Appointments are 20 minutes.', 'Book ahead by phone.'],
  },
  {
    key: 'self-management',
    weight: 2,
    terms: ['self-management', 'condition-groups'],
    names: [
      () => 'Living well with a long-term condition',
      () => 'Diabetes education course',
      () => 'Pain management course',
      () => 'Pulmonary rehab follow-on',
    ],
    venues: ['health_centre', 'community_centre', 'leisure_centre'],
    remote: 0.2,
    remoteBy: ['online'],
    days: [1, 1],
    times: [
      ['10:00', '12:30'],
      ['13:30', '16:00'],
    ],
    paid: 0,
    ages: { chance: 0.6, ranges: [[18, undefined]] },
    lead: [
      'A six-week course to help people manage pain, fatigue and low mood and set their own goals.',
      'Learn about your condition and how to look after yourself, with others in the same situation.',
    ],
    more: ['Led by trained tutors who live with a condition themselves.', 'Carers welcome.'],
  },
  {
    key: 'condition-group',
    weight: 3,
    terms: ['condition-groups', 'peer-support', 'social-groups'],
    names: [
      () => 'Breathe Easy group',
      () => 'Stroke club',
      () => 'Dementia café',
      () => "Parkinson's support group",
      () => 'Heart support group',
      () => 'Memory café',
    ],
    venues: ['church_hall', 'community_centre', 'cafe', 'health_centre'],
    remote: 0.05,
    remoteBy: ['online'],
    days: [1, 1],
    monthly: 0.5,
    times: [
      ['10:30', '12:30'],
      ['14:00', '16:00'],
    ],
    paid: 0.6,
    prices: [1, 2],
    lead: [
      'A friendly group for people living with a condition and their families, with talks, gentle exercise and company.',
      'A relaxed café for people living with dementia and their carers, with activities and information.',
    ],
    more: ['Guest speakers every month.', 'Carers and family welcome.'],
  },
  {
    key: 'substance-use',
    weight: 1,
    terms: ['substance-use', 'peer-support'],
    names: [
      () => 'Alcohol support drop-in',
      () => 'SMART Recovery meeting',
      () => 'Recovery café',
      () => 'Drug and alcohol service',
    ],
    venues: ['health_centre', 'community_centre', 'cafe'],
    remote: 0.2,
    remoteBy: ['phone'],
    days: [1, 3],
    times: [
      ['18:00', '19:30'],
      ['10:00', '16:00'],
    ],
    paid: 0,
    ages: { chance: 0.7, ranges: [[18, undefined]] },
    lead: [
      'Confidential support to cut down or stop drinking or using drugs, without judgement.',
      'A peer recovery meeting using practical tools for change.',
    ],
    more: ['Self-referral welcome.', 'Support for family members too.'],
  },
  {
    key: 'faith-social',
    weight: 4,
    terms: ['faith-community', 'social-groups', 'lunch-clubs'],
    names: [
      () => 'Coffee morning',
      () => 'Over 60s club',
      () => "Women's group",
      (c) => `${c.hood} friendship group`,
      () => 'Warm welcome drop-in',
    ],
    venues: ['church_hall', 'mosque', 'gurdwara', 'community_centre', 'village_hall'],
    remote: 0,
    remoteBy: [],
    days: [1, 1],
    times: [
      ['10:00', '12:00'],
      ['14:00', '16:00'],
    ],
    paid: 0.6,
    prices: [1, 2],
    lead: [
      'A friendly get-together with tea, coffee and cake; everyone welcome, whatever their faith.',
      'A weekly social group with games, crafts, trips and speakers.',
    ],
    more: ['Step-free access.', 'Lifts can be arranged.'],
  },
  {
    key: 'youth',
    weight: 1,
    terms: ['social-groups', 'arts-crafts'],
    names: [() => 'Youth club', () => 'LGBTQ+ youth group', () => 'Young people’s wellbeing group'],
    venues: ['community_centre', 'church_hall'],
    remote: 0,
    remoteBy: [],
    days: [1, 2],
    times: [['18:00', '20:00']],
    paid: 0.5,
    prices: [1],
    ages: {
      chance: 1,
      ranges: [
        [11, 18],
        [13, 19],
      ],
    },
    lead: ['A safe, fun space for young people to meet friends, try activities and talk to youth workers.'],
    more: ['Snacks provided.', 'Trips in the holidays.'],
  },
];

const KIND_WEIGHT = kinds.reduce((sum, k) => sum + k.weight, 0);
function pickKind(rng: Rng): Kind {
  let x = rng.next() * KIND_WEIGHT;
  for (const k of kinds) {
    x -= k.weight;
    if (x < 0) return k;
  }
  return kinds[kinds.length - 1]!;
}

const GENERIC_MORE = [
  'Everyone is welcome.',
  'Refreshments provided.',
  'Carers welcome.',
  'Please call ahead if you have any access needs.',
  'Run by local volunteers.',
  'Social prescribing link workers can come along to the first session with you.',
  'Free parking nearby.',
  'On a bus route.',
];

// ---------------------------------------------------------------------------------------------------------------
// Organisations and locations: spread over the towns in proportion to their weight, rebuilt from their index

/** Cumulative town weights, for "which town holds index k of a block of `total`". */
const CUMULATIVE = (() => {
  let sum = 0;
  return TOWNS.map((t) => (sum += t.weight));
})();
const TOTAL_WEIGHT = CUMULATIVE[CUMULATIVE.length - 1]!;

interface Blocks {
  /** starts[t] = first index of town t; starts[towns] = total. */
  starts: number[];
}

function blocksOf(total: number): Blocks {
  const starts = [0, ...CUMULATIVE.map((c) => Math.floor((total * c) / TOTAL_WEIGHT))];
  return { starts };
}

function townOf(blocks: Blocks, k: number): number {
  let lo = 0;
  let hi = TOWNS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (blocks.starts[mid]! <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const phoneNumber = (rng: Rng) =>
  rng.chance(0.2)
    ? `07700 900${rng.int(0, 999).toString().padStart(3, '0')}`
    : `01632 ${rng.int(960000, 960999)}`;

type Org = Organization;

function organisationAt(seed: number, k: number, blocks: Blocks): { org: Org; town: number } {
  const rng = rngFor(seed, `organisation/${k}`);
  const town = townOf(blocks, k);
  const t = TOWNS[town]!;
  const hood = rng.pick(HOODS);
  const id = uuidFor(seed, `organisation/${k}`);
  const kind = rng.next();
  let name: string;
  let description: string;
  const identifiers: Org['organization_identifiers'] = [];
  if (kind < 0.45) {
    name = rng.pick([
      `${t.name} Community Action`,
      `${hood} Community Association`,
      `${t.name} Age Concern`,
      `${hood} Neighbourhood Trust`,
      `${t.name} Wellbeing Network`,
      `${t.name} Carers Trust`,
      `${hood} Community Partnership`,
      `${t.name} Mind`,
      `Friends of ${hood} Park`,
      `${t.name} Advice Network`,
    ]);
    description = `A registered charity working with people in ${hood} and across ${t.name}.`;
    identifiers.push({
      id: uuidFor(seed, `organisation/${k}/identifier`),
      identifier_scheme: 'GB-CHC',
      identifier_type: 'Charity number',
      identifier: String(rng.int(1_000_000, 1_209_999)),
    });
  } else if (kind < 0.55) {
    name = rng.pick([
      `${t.name} Council`,
      `${t.name} Council Libraries`,
      `${t.name} Council Adult Learning`,
      `${t.name} Council Public Health`,
      `Active ${t.name}`,
    ]);
    description = `Services run by the local council for residents of ${t.name}.`;
  } else if (kind < 0.75) {
    name = rng.pick([
      `${hood} Gardens CIC`,
      `${t.name} Community Kitchen CIC`,
      `Open Door ${t.name} CIC`,
      `${hood} Makers CIC`,
      `Better Together ${t.name} CIC`,
      `${t.name} Wellbeing Hub CIC`,
    ]);
    description = `A community interest company set up by local people in ${t.name}.`;
    identifiers.push({
      id: uuidFor(seed, `organisation/${k}/identifier`),
      identifier_scheme: 'GB-COH',
      identifier_type: 'Company number',
      identifier: String(rng.int(7_000_000, 15_999_999)).padStart(8, '0'),
    });
  } else if (kind < 0.9) {
    name = rng.pick([
      `St ${rng.pick(SAINTS)}'s Church, ${hood}`,
      `${hood} Methodist Church`,
      `${t.name} Central Mosque`,
      `Guru Nanak Gurdwara ${t.name}`,
      `${hood} Baptist Church`,
      `${t.name} Quaker Meeting`,
      `${hood} United Reformed Church`,
    ]);
    description = `A faith community in ${hood} running activities open to everyone.`;
  } else {
    name = rng.pick([
      `${hood} Residents' Association`,
      `${hood} Good Neighbours`,
      `${t.name} Walking Friends`,
      `${hood} Over 60s Club`,
      `${t.name} Allotment Society`,
    ]);
    description = `A volunteer-run community group in ${hood}, ${t.name}.`;
  }
  const domain = `${slug(name)}.example`;
  const org: Org = {
    id,
    name,
    description,
    ...(rng.chance(0.8) ? { website: `https://www.${domain}/` } : {}),
    ...(rng.chance(0.7) ? { email: `${rng.pick(['hello', 'info', 'admin', 'contact'])}@${domain}` } : {}),
    organization_identifiers: identifiers,
    attributes: [],
  };
  return { org, town };
}

type Loc = Location;

const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
/** Each town's first postcode district, so towns sharing a postcode area get districts of their own. */
function districtBases(blocks: Blocks): number[] {
  const next = new Map<string, number>();
  return TOWNS.map((t, i) => {
    const count = blocks.starts[i + 1]! - blocks.starts[i]!;
    const base = next.get(t.area) ?? 1;
    next.set(t.area, base + Math.max(1, Math.ceil(count / 4000)));
    return base;
  });
}

const VENUE_WEIGHT = VENUES.reduce((sum, [, w]) => sum + w, 0);

interface Place {
  location: Loc;
  venue: Venue;
  town: number;
  hood: string;
  postcode?: { code: string; lat: number; lon: number };
}

interface Layout {
  n: number;
  organisations: Blocks;
  /** Physical locations 0 … physical-1 by town; virtual ones after them. */
  physical: Blocks;
  physicalCount: number;
  virtualCount: number;
  districts: number[];
}

function layoutFor(n: number): Layout {
  const locationCount = Math.max(2, Math.round(n * 0.8));
  const virtualCount = Math.max(1, Math.round(n * 0.02));
  const physicalCount = Math.max(1, locationCount - virtualCount);
  const physical = blocksOf(physicalCount);
  const districts = districtBases(physical);
  const highest = Math.max(
    ...TOWNS.map((_, i) => districts[i]! + Math.ceil((physical.starts[i + 1]! - physical.starts[i]!) / 4000)),
  );
  if (highest > 99) throw new Error(`${n} services need more postcode districts than an area has (99)`);
  return {
    n,
    organisations: blocksOf(Math.max(1, Math.round(n / 4))),
    physical,
    physicalCount,
    virtualCount,
    districts,
  };
}

const round5 = (x: number) => Math.round(x * 1e5) / 1e5;

function physicalLocationAt(seed: number, layout: Layout, k: number): Place {
  const rng = rngFor(seed, `location/${k}`);
  let x = rng.next() * VENUE_WEIGHT;
  let venue: Venue = 'community_centre';
  for (const [v, w] of VENUES) {
    x -= w;
    if (x < 0) {
      venue = v;
      break;
    }
  }
  const town = townOf(layout.physical, k);
  const t = TOWNS[town]!;
  const hood = rng.pick(HOODS);
  const street = rng.pick(STREETS);
  const name = {
    community_centre: `${hood} Community Centre`,
    library: rng.chance(0.3) ? `${t.name} Central Library` : `${hood} Library`,
    church_hall: rng.chance(0.5) ? `St ${rng.pick(SAINTS)}'s Church Hall` : `${hood} Methodist Church`,
    park: `${hood} Park`,
    leisure_centre: `${hood} Leisure Centre`,
    mosque: `${hood} Mosque and Community Centre`,
    gurdwara: `Guru Nanak Gurdwara, ${t.name}`,
    cafe: `The ${rng.pick(['Green', 'Corner', 'Kindness', 'Hub', 'Welcome', 'Pantry'])} Community Café`,
    allotment: `${hood} Allotments`,
    museum: `${t.name} Museum`,
    workshop: `${hood} Enterprise Workshops`,
    advice_centre: `${t.name} Advice Centre`,
    health_centre: `${hood} Health Centre`,
    village_hall: `${hood} Village Hall`,
  }[venue];
  // A few km around the centre: wider for bigger places.
  const spreadKm = 0.8 + 0.3 * t.weight;
  const lat = round5(t.lat + (rng.normal() * spreadKm) / 111.2);
  const lon = round5(t.lon + (rng.normal() * spreadKm) / (111.2 * Math.cos((t.lat * Math.PI) / 180)));
  const local = k - layout.physical.starts[town]!;
  const r = (local % 4000) * 1237 + (town % 4000);
  const inward = r % 4000;
  const code = `${t.area}${layout.districts[town]! + Math.floor(local / 4000)} ${inward % 10}${INWARD_LETTERS[Math.floor(inward / 10) % 20]}${INWARD_LETTERS[Math.floor(inward / 200)]}`;
  const features = rng.some(
    ['Step-free access', 'Accessible toilet', 'Hearing loop', 'Accessible parking', 'Wheelchair accessible'],
    rng.int(0, 3),
  );
  const location: Loc = {
    id: uuidFor(seed, `location/${k}`),
    location_type: 'physical',
    name,
    ...(venue === 'park' ? { description: 'Meet at the main gates by the café.' } : {}),
    ...(rng.chance(0.4) ? { transportation: `Buses stop on ${street}.` } : {}),
    latitude: lat,
    longitude: lon,
    addresses: [
      {
        id: uuidFor(seed, `location/${k}/address`),
        address_1: venue === 'park' ? street : `${rng.int(1, 240)} ${street}`,
        ...(rng.chance(0.5) ? { address_2: hood } : {}),
        city: t.name,
        state_province: '',
        postal_code: code,
        country: 'GB',
        address_type: 'physical',
        attributes: [],
      },
    ],
    accessibility: features.map((f, i) => ({
      id: uuidFor(seed, `location/${k}/accessibility/${i}`),
      description: f,
      attributes: [],
    })),
    attributes: [],
  };
  return { location, venue, town, hood, postcode: { code, lat, lon } };
}

function virtualLocationAt(seed: number, layout: Layout, v: number): Place {
  const rng = rngFor(seed, `location/${layout.physicalCount + v}`);
  const platform = rng.pick(['Zoom', 'Microsoft Teams', 'Google Meet', 'video call']);
  const location: Loc = {
    id: uuidFor(seed, `location/${layout.physicalCount + v}`),
    location_type: 'virtual',
    name: `Online (${platform})`,
    url: `https://meet.linkwork-bench.example/room/${v + 1}`,
    description: 'The joining link is sent by email after booking.',
    addresses: [],
    accessibility: [],
    attributes: [],
  };
  return { location, venue: 'community_centre', town: -1, hood: '' };
}

// ---------------------------------------------------------------------------------------------------------------
// Services

const LANGUAGES: [string, string][] = [
  ['Urdu', 'ur'],
  ['Punjabi', 'pa'],
  ['Polish', 'pl'],
  ['Bengali', 'bn'],
  ['Gujarati', 'gu'],
  ['Somali', 'so'],
  ['Arabic', 'ar'],
  ['Romanian', 'ro'],
  ['Portuguese', 'pt'],
  ['British Sign Language', 'bfi'],
];

const money = (x: number) => `£${Number.isInteger(x) ? x : x.toFixed(2)}`;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ORDINAL = ['', 'first', 'second', 'third', 'fourth'];

interface Built {
  service: Service;
  locationIndexes: number[];
}

function serviceAt(seed: number, layout: Layout, i: number, asOf: number): Built {
  const rng = rngFor(seed, `service/${i}`);
  const path = `service/${i}`;
  const id = uuidFor(seed, path);
  const orgIndex = Math.floor(rng.next() * (layout.organisations.starts.at(-1) ?? 1));
  const { org, town } = organisationAt(seed, orgIndex, layout.organisations);
  const kind = pickKind(rng);
  const t = TOWNS[town]!;

  // Where: a venue of the right kind in the organisation's town, online, or by phone.
  const remote = kind.venues.length === 0 || rng.chance(kind.remote);
  const remoteBy: Remote = remote ? rng.pick(kind.remoteBy.length ? kind.remoteBy : ['phone']) : 'phone';
  const places: { place: Place; index: number }[] = [];
  if (!remote) {
    const start = layout.physical.starts[town]!;
    const count = layout.physical.starts[town + 1]! - start;
    const within = (j: number) => (count > 0 ? start + j : j);
    const span = count > 0 ? count : layout.physicalCount;
    const wanted = rng.chance(0.07) ? 2 : 1;
    for (let attempt = 0; attempt < 8 && places.length < wanted; attempt++) {
      const index = within(Math.floor(rng.next() * span));
      if (places.some((p) => p.index === index)) continue;
      const place = physicalLocationAt(seed, layout, index);
      if (kind.venues.includes(place.venue) || attempt === 7) places.push({ place, index });
    }
  } else if (remoteBy === 'online') {
    const v = Math.floor(rng.next() * layout.virtualCount);
    places.push({ place: virtualLocationAt(seed, layout, v), index: layout.physicalCount + v });
  }
  const hood = places[0]?.place.hood || rng.pick(HOODS);

  // When.
  const [open, close] = rng.pick(kind.times);
  const monthly = !remote && rng.chance(kind.monthly ?? 0.08);
  const dayPool = kind.weekend ? ALL_DAYS : WEEKDAYS;
  const days: Day[] =
    kind.days[0] >= 5 ? [...WEEKDAYS] : rng.some(dayPool, monthly ? 1 : rng.int(kind.days[0], kind.days[1]));
  const attending = remote ? (remoteBy === 'online' ? 'online' : 'phone') : 'in person';
  const nth = rng.chance(0.2) ? -1 : rng.int(1, 4);
  const fortnightly = !monthly && days.length === 1 && rng.chance(0.06);
  const when = monthly
    ? `${nth === -1 ? 'Last' : ORDINAL[nth]!.replace(/^./, (c) => c.toUpperCase())} ${DAY_NAME[days[0]!]} of the month`
    : days.length === 5
      ? 'Monday to Friday'
      : `${fortnightly ? 'Every other' : 'Every'} ${days.map((d) => DAY_NAME[d]).join(', ')}`;
  const schedule = (suffix: string, d: Day[], o: string, c: string) => ({
    id: uuidFor(seed, `${path}/schedule/${suffix}`),
    freq: monthly ? ('MONTHLY' as const) : ('WEEKLY' as const),
    ...(fortnightly ? { interval: 2 } : {}),
    byday: monthly ? `${nth}${d[0]}` : d.join(','),
    opens_at: o,
    closes_at: c,
    description: `${when}, ${o} to ${c}`,
    attending_type: attending,
  });

  const ctx: Ctx = { town: t.name, hood, day: DAY_NAME[days[0]!], org: org.name };
  let name = rng.pick(kind.names)(ctx);
  if (monthly && name.startsWith(ctx.day)) name = name.replace(ctx.day, `Monthly ${ctx.day}`);
  const sentences = [
    rng.pick(kind.lead),
    ...rng.some([...kind.more, ...GENERIC_MORE], rng.int(1, 3)).map((s) => s),
  ];

  // Terms: the kind's first, and each further one on an even chance.
  const codes = [kind.terms[0]!, ...kind.terms.slice(1).filter(() => rng.chance(0.5))];
  const attributes = codes.map((code, j) => {
    const tm = term(code);
    return {
      id: uuidFor(seed, `${path}/attribute/${j}`),
      link_entity: 'service',
      taxonomy_term_id: tm.id,
      taxonomy_term: {
        id: tm.id,
        name: tm.name,
        description: tm.description,
        taxonomy_id: SHIPPED_TAXONOMY.id,
      },
    };
  });

  // Cost.
  const paid = rng.chance(kind.paid) && kind.prices?.length;
  const price = paid ? rng.pick(kind.prices!) : 0;
  const cost_options = paid
    ? [
        {
          id: uuidFor(seed, `${path}/cost/0`),
          option: rng.pick(['Per session', 'Standard', 'Each time']),
          amount: price,
          currency: 'GBP',
          amount_description: `${money(price)} ${kind.priceNote ?? 'a session'}`,
        },
        ...(rng.chance(0.3)
          ? [
              {
                id: uuidFor(seed, `${path}/cost/1`),
                option: 'Concessions',
                amount: Math.round(price * 50) / 100,
                currency: 'GBP',
                amount_description: 'For people on benefits, students and carers',
              },
            ]
          : []),
      ]
    : [
        rng.chance(0.5)
          ? { id: uuidFor(seed, `${path}/cost/0`), option: 'Free' }
          : { id: uuidFor(seed, `${path}/cost/0`), amount: 0, currency: 'GBP', amount_description: 'Free' },
      ];

  const ages = kind.ages && rng.chance(kind.ages.chance) ? rng.pick(kind.ages.ranges) : undefined;
  const [minimumAge, maximumAge] = ages ?? [undefined, undefined];
  const eligibility =
    minimumAge !== undefined && maximumAge !== undefined
      ? `Young people aged ${minimumAge} to ${maximumAge}.`
      : minimumAge !== undefined
        ? `Adults aged ${minimumAge} and over.`
        : undefined;

  const languages = rng.chance(0.2)
    ? [
        { id: uuidFor(seed, `${path}/language/0`), name: 'English', code: 'en' },
        ...rng.some(LANGUAGES, rng.int(1, 2)).map(([n, code], j) => ({
          id: uuidFor(seed, `${path}/language/${j + 1}`),
          name: n,
          code,
        })),
      ]
    : [];

  const assuredAt = asOf - rng.int(0, 547) * 86_400_000;
  const modifiedAt =
    Math.min(asOf, assuredAt + rng.int(0, 20) * 86_400_000) + rng.int(8 * 3600, 18 * 3600) * 1000;
  const statusDraw = rng.next();
  const status = statusDraw < 0.97 ? 'active' : statusDraw < 0.99 ? 'temporarily closed' : 'inactive';
  const domain = org.website ? new URL(org.website).hostname.replace(/^www\./, '') : undefined;
  const contactName = `${rng.pick(GIVEN)} ${rng.pick(FAMILY)}`;

  // Schedules sit on the service; a service at two places runs a session at each, on its own day.
  const twoPlaces = places.length === 2;
  const service: Service = {
    id,
    organization_id: org.id,
    organization: org,
    name,
    description: sentences.join(' '),
    ...(domain && rng.chance(0.6) ? { url: `https://www.${domain}/${slug(name)}` } : {}),
    ...(domain && rng.chance(0.7) ? { email: `${slug(kind.key)}@${domain}` } : {}),
    status,
    ...(status === 'temporarily closed' ? { alert: 'Closed for refurbishment; reopening next month.' } : {}),
    ...(eligibility ? { eligibility_description: eligibility } : {}),
    ...(minimumAge !== undefined ? { minimum_age: minimumAge } : {}),
    ...(maximumAge !== undefined ? { maximum_age: maximumAge } : {}),
    ...(paid ? { fees_description: `${money(price)} ${kind.priceNote ?? 'a session'}.` } : {}),
    ...(languages.length && rng.chance(0.5)
      ? { interpretation_services: 'Interpreters can be booked in advance.' }
      : {}),
    application_process: rng.pick([
      'Just turn up.',
      'Call or email to book a place.',
      'Self-referral or referral by a link worker.',
      'Referral form on our website.',
    ]),
    assured_date: isoDay(assuredAt),
    ...(rng.chance(0.5) ? { assurer_email: `directory@${slug(t.name)}.linkwork-bench.example` } : {}),
    last_modified: new Date(modifiedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    schedules: twoPlaces ? [] : [schedule('0', days, open, close)],
    service_at_locations: places.map(({ place }, j) => ({
      id: uuidFor(seed, `${path}/at/${j}`),
      location_id: place.location.id,
      location: place.location,
      schedules: twoPlaces
        ? [
            schedule(
              `at/${j}`,
              j === 0 ? days : [rng.pick(WEEKDAYS.filter((d) => d !== days[0]))],
              open,
              close,
            ),
          ]
        : [],
      attributes: [],
    })),
    languages,
    cost_options,
    funding: rng.chance(0.3)
      ? [
          {
            id: uuidFor(seed, `${path}/funding/0`),
            source: rng.pick([
              'National Lottery Community Fund',
              `${t.name} Council`,
              'NHS integrated care board',
              'Local donations',
            ]),
          },
        ]
      : [],
    service_areas: remote
      ? [
          {
            id: uuidFor(seed, `${path}/area/0`),
            name: `${t.name} and surrounding area`,
            extent_type: 'other',
          },
        ]
      : [],
    contacts: rng.chance(0.6)
      ? [
          {
            id: uuidFor(seed, `${path}/contact/0`),
            name: contactName,
            title: rng.pick(['Group coordinator', 'Volunteer lead', 'Project worker', 'Service manager']),
            ...(domain ? { email: `${slug(contactName).replace('-', '.')}@${domain}` } : {}),
            phones: [
              { id: uuidFor(seed, `${path}/contact/0/phone`), number: phoneNumber(rng), type: 'voice' },
            ],
          },
        ]
      : [],
    phones: rng.chance(0.7 + (remote ? 0.3 : 0))
      ? [
          {
            id: uuidFor(seed, `${path}/phone/0`),
            number: phoneNumber(rng),
            ...(remoteBy === 'phone' && remote ? { description: 'Main line' } : {}),
          },
        ]
      : [],
    attributes,
  };
  return { service, locationIndexes: places.map((p) => p.index) };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

export interface Written {
  file: string;
  /** pcds,lat,long: every postcode of a physical location some service is at. */
  postcodesFile: string;
  services: number;
  organisations: number;
  locations: number;
  physicalLocations: number;
  postcodes: number;
  /** Services with no physical location (online or by phone). */
  remoteServices: number;
  freeServices: number;
  bytes: number;
  towns: number;
}

async function write(stream: WriteStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', resolve));
}

async function finish(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(resolve);
  });
}

/**
 * Writes n ORUK 3.0 services to `file` as NDJSON and the postcodes of their physical locations to
 * `<file>.postcodes.csv`. The same (n, seed, asOf day) gives the same bytes; `asOf` anchors assured dates (the
 * last 18 months before it) and defaults to today.
 */
export async function writeServices(
  file: string,
  n: number,
  seed: number,
  options: { asOf?: Date } = {},
): Promise<Written> {
  const asOf = Date.parse(`${(options.asOf ?? new Date()).toISOString().slice(0, 10)}T00:00:00Z`);
  const layout = layoutFor(n);
  const usedLocations = new Uint8Array(Math.ceil((layout.physicalCount + layout.virtualCount) / 8));
  const usedOrganisations = new Uint8Array(Math.ceil((layout.organisations.starts.at(-1)! + 1) / 8));
  const mark = (bits: Uint8Array, k: number) => {
    bits[k >> 3]! |= 1 << (k & 7);
  };
  const marked = (bits: Uint8Array, k: number) => (bits[k >> 3]! & (1 << (k & 7))) !== 0;
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let bytes = 0;
  let remoteServices = 0;
  let freeServices = 0;
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const { service, locationIndexes } = serviceAt(seed, layout, i, asOf);
    for (const k of locationIndexes) mark(usedLocations, k);
    if (!locationIndexes.some((k) => k < layout.physicalCount)) remoteServices++;
    if (service.cost_options?.every((c) => c.option === 'Free' || c.amount === 0)) freeServices++;
    chunk += `${JSON.stringify(service)}\n`;
    if (chunk.length > 1 << 20) {
      bytes += Buffer.byteLength(chunk);
      await write(out, chunk);
      chunk = '';
    }
  }
  bytes += Buffer.byteLength(chunk);
  await write(out, chunk);
  await finish(out);

  // Organisations used: counted by rebuilding the choice each service made (cheap: one draw each).
  for (let i = 0; i < n; i++) {
    const rng = rngFor(seed, `service/${i}`);
    mark(usedOrganisations, Math.floor(rng.next() * (layout.organisations.starts.at(-1) ?? 1)));
  }

  const postcodesFile = `${file}.postcodes.csv`;
  const pc = createWriteStream(postcodesFile, { highWaterMark: 1 << 20 });
  let postcodes = 0;
  let physicalLocations = 0;
  let locations = 0;
  chunk = 'pcds,lat,long\n';
  for (let k = 0; k < layout.physicalCount + layout.virtualCount; k++) {
    if (!marked(usedLocations, k)) continue;
    locations++;
    if (k >= layout.physicalCount) continue;
    physicalLocations++;
    const { postcode } = physicalLocationAt(seed, layout, k);
    if (!postcode) continue;
    postcodes++;
    chunk += `${postcode.code},${postcode.lat},${postcode.lon}\n`;
    if (chunk.length > 1 << 16) {
      await write(pc, chunk);
      chunk = '';
    }
  }
  await write(pc, chunk);
  await finish(pc);
  let organisations = 0;
  for (let k = 0; k < layout.organisations.starts.at(-1)!; k++)
    if (marked(usedOrganisations, k)) organisations++;

  return {
    file,
    postcodesFile,
    services: n,
    organisations,
    locations,
    physicalLocations,
    postcodes,
    remoteServices,
    freeServices,
    bytes,
    towns: TOWNS.length,
  };
}

/** Searches a link worker would make, each matching a kind of service the generator writes. */
export const SAMPLE_SEARCHES: readonly { q: string; term: string; day: Day; from: string; to: string }[] = [
  { q: 'walk', term: term('walking').id, day: 'TU', from: '09:00', to: '12:00' },
  { q: 'debt advice', term: term('debt-advice').id, day: 'WE', from: '09:00', to: '17:00' },
  { q: 'shed', term: term('mens-sheds').id, day: 'TH', from: '09:00', to: '17:00' },
  { q: 'choir', term: term('singing').id, day: 'MO', from: '09:00', to: '22:00' },
  { q: 'exercise', term: term('exercise-classes').id, day: 'FR', from: '09:00', to: '13:00' },
  { q: 'food', term: term('food').id, day: 'TU', from: '09:00', to: '20:00' },
  { q: 'digital', term: term('digital').id, day: 'WE', from: '09:00', to: '17:00' },
  { q: 'lunch', term: term('lunch-clubs').id, day: 'TH', from: '11:00', to: '15:00' },
  { q: 'garden', term: term('gardening').id, day: 'SA', from: '09:00', to: '14:00' },
  { q: 'peer support', term: term('peer-support').id, day: 'MO', from: '17:00', to: '22:00' },
  { q: 'bereavement', term: term('bereavement').id, day: 'TU', from: '09:00', to: '17:00' },
  { q: 'carers', term: term('carers').id, day: 'FR', from: '09:00', to: '18:00' },
];

// Run alone: write a file and print what it holds.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [out = 'directory-services.ndjson', n = '1000', seed = '1'] = process.argv.slice(2);
  const started = performance.now();
  const written = await writeServices(out, Number(n), Number(seed));
  process.stdout.write(
    `${JSON.stringify(written, null, 2)}\nin ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
